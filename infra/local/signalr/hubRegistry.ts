/**
 * Who is connected to which hub, as which user, in which groups. Hub names are matched
 * without regard to case (the service lower-cases them); user ids, group names and
 * connection ids are matched exactly. Group membership is kept for users (it outlives their
 * connections, as the service keeps it) and for single connections.
 */
export interface ClientConnection {
  readonly id: string;
  /** Lower-cased hub name. */
  readonly hub: string;
  readonly userId: string | undefined;
  /** Writes one or more frames to the client. */
  send(frames: string): void;
  /** Sends a Close message, then closes the socket. */
  close(error: string | undefined, allowReconnect: boolean): void;
}

interface HubState {
  readonly connections: Map<string, ClientConnection>;
  readonly userGroups: Map<string, Set<string>>;
  readonly connectionGroups: Map<string, Set<string>>;
}

function members(map: Map<string, Set<string>>, group: string): Set<string> {
  let set = map.get(group);
  if (!set) {
    set = new Set();
    map.set(group, set);
  }
  return set;
}

export class HubRegistry {
  private readonly hubs = new Map<string, HubState>();
  private deliveredFrames = 0;

  private hub(name: string): HubState {
    const key = name.toLowerCase();
    let state = this.hubs.get(key);
    if (!state) {
      state = { connections: new Map(), userGroups: new Map(), connectionGroups: new Map() };
      this.hubs.set(key, state);
    }
    return state;
  }

  /** Frames written to clients so far (a message to three connections counts three). */
  get delivered(): number {
    return this.deliveredFrames;
  }

  add(connection: ClientConnection): void {
    this.hub(connection.hub).connections.set(connection.id, connection);
  }

  remove(connection: ClientConnection): void {
    const state = this.hub(connection.hub);
    state.connections.delete(connection.id);
    for (const set of state.connectionGroups.values()) set.delete(connection.id);
  }

  private deliver(targets: Iterable<ClientConnection>, frames: string): number {
    let count = 0;
    for (const connection of targets) {
      connection.send(frames);
      count++;
    }
    this.deliveredFrames += count;
    return count;
  }

  sendToAll(hub: string, frames: string, excluded: ReadonlySet<string> = new Set()): number {
    const all = [...this.hub(hub).connections.values()];
    return this.deliver(
      all.filter((c) => !excluded.has(c.id)),
      frames,
    );
  }

  sendToUser(hub: string, userId: string, frames: string): number {
    return this.deliver(this.connectionsOfUser(hub, userId), frames);
  }

  sendToConnection(hub: string, connectionId: string, frames: string): number {
    const connection = this.hub(hub).connections.get(connectionId);
    return connection ? this.deliver([connection], frames) : 0;
  }

  sendToGroup(
    hub: string,
    group: string,
    frames: string,
    excluded: ReadonlySet<string> = new Set(),
  ): number {
    const state = this.hub(hub);
    const users = state.userGroups.get(group) ?? new Set<string>();
    const ids = state.connectionGroups.get(group) ?? new Set<string>();
    const targets = [...state.connections.values()].filter(
      (c) =>
        !excluded.has(c.id) && (ids.has(c.id) || (c.userId !== undefined && users.has(c.userId))),
    );
    return this.deliver(targets, frames);
  }

  addUserToGroup(hub: string, group: string, userId: string): void {
    members(this.hub(hub).userGroups, group).add(userId);
  }

  removeUserFromGroup(hub: string, group: string, userId: string): void {
    this.hub(hub).userGroups.get(group)?.delete(userId);
  }

  removeUserFromAllGroups(hub: string, userId: string): void {
    for (const set of this.hub(hub).userGroups.values()) set.delete(userId);
  }

  userInGroup(hub: string, group: string, userId: string): boolean {
    return this.hub(hub).userGroups.get(group)?.has(userId) ?? false;
  }

  addConnectionToGroup(hub: string, group: string, connectionId: string): boolean {
    const state = this.hub(hub);
    if (!state.connections.has(connectionId)) return false;
    members(state.connectionGroups, group).add(connectionId);
    return true;
  }

  removeConnectionFromGroup(hub: string, group: string, connectionId: string): void {
    this.hub(hub).connectionGroups.get(group)?.delete(connectionId);
  }

  connectionsOfUser(hub: string, userId: string): ClientConnection[] {
    return [...this.hub(hub).connections.values()].filter((c) => c.userId === userId);
  }

  hasConnection(hub: string, connectionId: string): boolean {
    return this.hub(hub).connections.has(connectionId);
  }

  groupHasConnections(hub: string, group: string): boolean {
    return this.sendTargetsOfGroup(hub, group) > 0;
  }

  private sendTargetsOfGroup(hub: string, group: string): number {
    const state = this.hub(hub);
    const users = state.userGroups.get(group) ?? new Set<string>();
    const ids = state.connectionGroups.get(group) ?? new Set<string>();
    return [...state.connections.values()].filter(
      (c) => ids.has(c.id) || (c.userId !== undefined && users.has(c.userId)),
    ).length;
  }

  /** Every connection of every hub (for closing them all at shutdown). */
  all(): ClientConnection[] {
    return [...this.hubs.values()].flatMap((h) => [...h.connections.values()]);
  }
}
