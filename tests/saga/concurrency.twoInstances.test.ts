import { describeContention } from "./contentionScenario";

// The 200-for-50 race with two Functions host processes competing for the work.
describeContention(2);
