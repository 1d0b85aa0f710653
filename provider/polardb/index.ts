/** Alibaba PolarDB for AI: `polardb.AidbTask`. */
export { AidbTask, AidbTaskArgs, AidbTaskDatasetOutput, RunningParameterArgs } from "./aidbTask";
