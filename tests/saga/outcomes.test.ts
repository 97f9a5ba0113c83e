import { describeOutcomes } from "./outcomeScenarios";

describeOutcomes(1);
