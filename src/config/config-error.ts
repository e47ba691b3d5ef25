import { OperatorError } from "../errors/operator-error.js";

/** A configuration problem: the daemon refuses to start and prints this message. */
export class ConfigError extends OperatorError {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
