import { describeContention } from "./contentionScenario";

describeContention(1);
