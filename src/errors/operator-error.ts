/**
 * A failure whose message is meant for the operator as it stands (a bad config, a port in use, missing
 * certificates, a refused migration or backup): the CLI prints the message alone, without a stack, and
 * exits 1. The CLI checks this one class, so it need not load the modules that throw its subclasses.
 */
export class OperatorError extends Error {}
