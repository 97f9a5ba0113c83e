/** Where the fault control API listens: FAULTS_PORT, else 7075, on loopback only. */
export const FAULTS_PORT_SETTING = "FAULTS_PORT";
export const DEFAULT_FAULTS_PORT = 7075;

export function faultsPortFrom(env: Readonly<Record<string, string | undefined>>): number {
  const value = env[FAULTS_PORT_SETTING];
  if (value === undefined || value === "") return DEFAULT_FAULTS_PORT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${FAULTS_PORT_SETTING}="${value}" is not a valid port (0-65535).`);
  return n;
}
