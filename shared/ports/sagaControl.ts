/**
 * Requests to a running order saga. In Functions this is the Durable client's
 * `raiseEvent(instanceId = orderId, eventName, payload)`; the HTTP handlers only see this
 * port, so they do not depend on the Durable binding.
 */
export interface SagaControl {
  /**
   * Raises an external event on the order's saga instance. An instance that does not exist
   * yet discards the event (Durable semantics); callers record the request on the order
   * first, so the saga still sees it when it starts.
   */
  raiseEvent(orderId: string, eventName: string, payload: unknown): Promise<void>;
}
