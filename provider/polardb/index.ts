export { AidbTask, AidbTaskArgs, AidbTaskDatasetOutput, RunningParameterArgs } from "./aidbTask";
