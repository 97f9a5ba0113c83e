import { describeOutcomes } from "./outcomeScenarios";

// Two Functions host processes share the work, as two Azure instances do: Service Bus
// messages go to whichever receives them, each saga runs on the host holding its partition,
// and requests reach either host through the round-robin proxy.
describeOutcomes(2);
