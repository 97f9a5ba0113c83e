/** The local Azure SignalR Service stand-in (serverless mode) and its connection-string and token helpers. */
export {
  startSignalRService,
  DEFAULT_SIGNALR_PORT,
  LOCAL_SIGNALR_ACCESS_KEY,
} from "./signalRService";
export type { SignalRService, StartSignalRServiceOptions } from "./signalRService";
export { parseSignalRConnectionString, formatSignalRConnectionString } from "./connectionString";
export type { SignalRConnectionString } from "./connectionString";
export {
  signAccessToken,
  verifyAccessToken,
  TokenRefusedError,
  USER_ID_CLAIM,
} from "./accessToken";
