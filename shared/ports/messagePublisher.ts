/**
 * The publisher port is declared once, beside the saga participants that first needed it;
 * the Order API uses the same one.
 */
export type { MessagePublisher, PublishOptions } from "../workers/messagePublisher";
