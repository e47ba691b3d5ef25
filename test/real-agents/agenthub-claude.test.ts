import { describeAgenthubPreset } from "./agenthub-preset.js";

// provider = "claude" through agenthub's REST API: the preset with the cached agent and its mock model.
describeAgenthubPreset("claude");
