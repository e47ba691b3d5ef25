import { describeAgenthubPreset } from "./agenthub-preset.js";

// provider = "gemini" through agenthub's REST API: the preset with the cached agent and its mock model.
describeAgenthubPreset("gemini");
