// Generated from the hub's OpenAPI document (GET /api/openapi.json) by web/scripts/gen-api.mjs.
// Do not edit: run `npm run gen:web-api` after changing a route or schema (a test fails on drift).

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness, version and the agent isolation in force */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                            version: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document (OpenAPI 3.1), to generate clients from */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            root_initialized: boolean;
                            join_available: boolean;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Join with a join token and PIN (root's first join, or an invitation) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        join_token?: string;
                        pin?: string;
                        username?: string;
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INVALID_JOIN_TOKEN`: invalid join token; `JOIN_TOKEN_EXPIRED`: join token expired; `INVALID_PIN`: invalid pin */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `ROOT_ALREADY_INITIALIZED`: root already initialized; `USERNAME_TAKEN`: username already exists */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RATE_LIMITED`: too many requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in: a bearer token, and the web console's session and CSRF cookies
         * @description Also sets an HttpOnly, SameSite=Strict `agenthub_session` cookie and a readable `agenthub_csrf` cookie: a request authenticated by the cookie that changes anything must send the CSRF cookie's value in `X-CSRF-Token` (else 403 `CSRF_TOKEN_INVALID`). Bearer clients can ignore both.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        username?: string;
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INVALID_CREDENTIALS`: invalid username or password */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RATE_LIMITED`: too many requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke the session sent (bearer token or cookie) and clear the console's cookies */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            user_id: string;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/join-challenges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Invite a user (root): a join token and PIN, shown once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JoinChallenge"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `ROOT_REQUIRED`: root required */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            users: components["schemas"]["User"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `ROOT_REQUIRED`: root required */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: database writable, migrations current, internal gRPC serving
         * @description For deploys and load balancers: 200 once the hub can serve, 503 (`NOT_READY`, naming the failed checks in the message and `details`) when it cannot. `/health` is liveness only.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Ready"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NOT_READY`: not ready: {failed} */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's teams (root: every team) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            teams: components["schemas"]["Team"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a team (its spec is validated in full; nothing is saved when refused) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description unique; surrounding blanks are dropped */
                        name?: string;
                        /** @description The team spec (shape: TeamSpec; defaults are filled in). Validated in full by the hub: every problem is in details.errors as {field, message}, e.g. `spec.steps[0].promt: unknown key; did you mean "prompt"?`. */
                        spec?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Team"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `TEAM_NAME_REQUIRED`: team name is required; `SPEC_NOT_OBJECT`: spec must be an object; `SPEC_INVALID`: invalid team spec; `STEP_KEY_REQUIRED`: step_key is required; `ROUTE_REQUIRES_LEADER`: route=to_leader requires a leader member in spec.members; `REVIEW_ROUTE_TO_WORKER`: worker-originated permission review cannot route to worker; `WORKTREE_REF_INVALID`: worktree_ref must be a git ref, not an option (starts with "-"); `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `FORBIDDEN`: forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NAME_EXISTS`: team name already exists */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Team"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Replace a team's name and spec against the version read (409 TEAM_CHANGED when another edit came first) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description unchanged when left out */
                        name?: string;
                        /** @description the whole new spec; an env value of "(set)" keeps the stored one */
                        spec?: {
                            [key: string]: unknown;
                        };
                        /** @description the version the edit was made against (or expected_updated_at) */
                        expected_version?: number;
                        /** @description the updated_at the edit was made against */
                        expected_updated_at?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Team"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `TEAM_NAME_REQUIRED`: team name is required; `SPEC_NOT_OBJECT`: spec must be an object; `SPEC_INVALID`: invalid team spec; `STEP_KEY_REQUIRED`: step_key is required; `ROUTE_REQUIRES_LEADER`: route=to_leader requires a leader member in spec.members; `REVIEW_ROUTE_TO_WORKER`: worker-originated permission review cannot route to worker; `WORKTREE_REF_INVALID`: worktree_ref must be a git ref, not an option (starts with "-"); `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `FORBIDDEN`: forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_CHANGED`: team definition changed concurrently; reload and retry; `TEAM_NAME_EXISTS`: team name already exists */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /**
         * Delete a team (its runtime is stopped first; its members' worktrees are removed)
         * @description Member worktrees agenthub created are removed unless they hold unsaved work (uncommitted changes, commits on no branch): those are kept and listed with the reason, unless `remove_worktrees=force`. A worktree's branch is deleted when it has no commits beyond its base; otherwise it is kept (and the answer says why).
         */
        delete: {
            parameters: {
                query?: {
                    /** @description the members' worktrees: `clean` removes those without unsaved work and keeps (and reports) the others, `force` removes them all, `keep` leaves them to the nodes' retention sweeps */
                    remove_worktrees?: "clean" | "force" | "keep";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TeamDeleted"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/{id}/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A team's tasks, highest priority first */
        get: {
            parameters: {
                query?: {
                    status?: "open" | "in_progress" | "in_review" | "completed" | "canceled";
                    /** @description a member of the team */
                    assigned_member_id?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tasks: components["schemas"]["Task"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `UNKNOWN_MEMBER`: unknown member */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title?: string;
                        /** @description a member of the team */
                        assigned_member_id?: string | null;
                        /** @description higher first; default 0 */
                        priority?: number;
                        /** @description any JSON value */
                        context?: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Task"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `TITLE_REQUIRED`: title is required; `UNKNOWN_MEMBER`: unknown member; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/{id}/tasks/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    task_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Task"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found; `TASK_NOT_FOUND`: task not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Edit a task; only the fields given change */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    task_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title?: string;
                        /**
                         * @description moves follow the task state machine (409 ILLEGAL_TRANSITION)
                         * @enum {string}
                         */
                        status?: "open" | "in_progress" | "in_review" | "completed" | "canceled";
                        /** @description null unassigns */
                        assigned_member_id?: string | null;
                        /** @description higher first; default 0 */
                        priority?: number;
                        context?: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Task"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `TITLE_REQUIRED`: title is required; `UNKNOWN_MEMBER`: unknown member; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found; `TASK_NOT_FOUND`: task not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `ILLEGAL_TRANSITION`: illegal state transition */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/teams/{id}/tasks/{task_id}/conversation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A task's conversation (every task has exactly one) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    task_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Conversation"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found; `TASK_NOT_FOUND`: task not found; `CONVERSATION_NOT_FOUND`: conversation not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/{id}/tasks/{task_id}/conversation/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A task conversation's messages in order, after a seq */
        get: {
            parameters: {
                query?: {
                    after?: string;
                    cursor?: string;
                    /** @description page size: 100 when absent, at most 1000 */
                    limit?: string;
                };
                header?: never;
                path: {
                    id: string;
                    task_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            messages: components["schemas"]["ConversationMessage"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found; `TASK_NOT_FOUND`: task not found; `CONVERSATION_NOT_FOUND`: conversation not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Post to a task's conversation; routed like run mail (broadcast, to_leader, to_member) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    task_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description a member id or human:<name> */
                        from_actor_id?: string;
                        /**
                         * @description default broadcast
                         * @enum {string}
                         */
                        route?: "broadcast" | "to_leader" | "to_member";
                        /** @description required with route=to_member */
                        to_actor_id?: string | null;
                        /** @description any JSON value */
                        payload?: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            seq: number;
                            from_actor_id: string;
                            /** @enum {string} */
                            route: "broadcast" | "to_leader" | "to_member";
                            to_actor_id: string | null;
                            payload: unknown;
                            created_at: string;
                            /** @description member ids the message is routed to */
                            recipients: string[];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_ROUTE`: route must be one of: broadcast, to_leader, to_member; `TO_ACTOR_REQUIRED`: to_actor_id is required when route=to_member; `UNKNOWN_MEMBER`: unknown member; `ROUTE_REQUIRES_LEADER`: route=to_leader requires a leader member in spec.members; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found; `TASK_NOT_FOUND`: task not found; `CONVERSATION_NOT_FOUND`: conversation not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/{id}/tasks/{task_id}/conversation/messages/{message_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    task_id: string;
                    message_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConversationMessage"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found; `TASK_NOT_FOUND`: task not found; `CONVERSATION_NOT_FOUND`: conversation not found; `MESSAGE_NOT_FOUND`: message not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The webhooks the caller may see (root: all; others: their teams') */
        get: {
            parameters: {
                query?: {
                    /** @description only this team's webhooks */
                    team_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            webhooks: components["schemas"]["Webhook"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a webhook; the answer carries its signing secret, shown this once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description http(s) URL without user name or password; users other than root may not target loopback, link-local or private addresses unless [webhooks] allow_private_targets = true */
                        url: string;
                        /** @description the team whose events it receives (its owner or root); absent or null: global, root only */
                        team_id?: string | null;
                        /** @description what it subscribes to; default: every type */
                        event_types?: ("review.pending" | "step.input_required" | "run.completed" | "run.failed" | "run.canceled" | "node.offline" | "node.online" | "webhook.disabled")[];
                        /**
                         * @description standard (default): Standard Webhooks JSON `{type, timestamp, data}`; slack: `{"text": …}`
                         * @enum {string}
                         */
                        format?: "standard" | "slack";
                        description?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CreatedWebhook"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON; `WEBHOOK_URL_INVALID`: webhook url must be an http(s) URL without credentials; `WEBHOOK_TARGET_PRIVATE`: webhook url must not target a loopback, link-local or private address */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `ROOT_REQUIRED`: root required */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A webhook (without its secret) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Webhook"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `WEBHOOK_NOT_FOUND`: webhook not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a webhook and its pending deliveries */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `WEBHOOK_NOT_FOUND`: webhook not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A webhook's deliveries, newest first: pending (with the next attempt), delivered or failed */
        get: {
            parameters: {
                query?: {
                    /** @description only deliveries in this status */
                    status?: "pending" | "delivered" | "failed";
                    cursor?: string;
                    /** @description page size: 100 when absent, at most 1000 */
                    limit?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deliveries: components["schemas"]["WebhookDelivery"][];
                            /** @description pass as ?cursor= for the next page; null on the last */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `WEBHOOK_NOT_FOUND`: webhook not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A team's runs, oldest first, by pages */
        get: {
            parameters: {
                query?: {
                    /** @description only runs in this status */
                    status?: "submitted" | "working" | "input_required" | "awaiting_review" | "completed" | "failed" | "canceled";
                    cursor?: string;
                    /** @description page size: 100 when absent, at most 1000 */
                    limit?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            runs: components["schemas"]["RunSummary"][];
                            /** @description pass as ?cursor= for the next page; null on the last */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Start a run of the team's current spec
         * @description With an `Idempotency-Key` header (or `idempotency_key`), a retry with the same body answers the first run (200, `idempotent_replay: true`); the same key with another body is refused with 422 `IDEMPOTENCY_KEY_REUSED`.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description a retry with the same key and the same body answers the first run (200, idempotent_replay); the same key with another body is refused (422 IDEMPOTENCY_KEY_REUSED) */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description any JSON value the steps get (null when absent) */
                        input?: unknown;
                        /** @description the Idempotency-Key header, for clients that cannot set one */
                        idempotency_key?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            team_id: string;
                            /** @enum {string} */
                            status: "submitted" | "working" | "input_required" | "awaiting_review" | "completed" | "failed" | "canceled";
                            input: unknown;
                            attempt: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            created_at: string;
                            updated_at: string;
                            finished_at: string | null;
                            /** @description of a completed run: with_warnings when any step has warnings; null otherwise */
                            outcome: ("clean" | "with_warnings") | null;
                            steps: components["schemas"]["Step"][];
                            usage: components["schemas"]["Usage"];
                            /** @description the run's usage per member, in the spec's order */
                            member_usage: {
                                member_id: string;
                                usage: components["schemas"]["Usage"];
                            }[];
                            /** @description true: an earlier request with this Idempotency-Key made this run */
                            idempotent_replay: boolean;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            team_id: string;
                            /** @enum {string} */
                            status: "submitted" | "working" | "input_required" | "awaiting_review" | "completed" | "failed" | "canceled";
                            input: unknown;
                            attempt: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            created_at: string;
                            updated_at: string;
                            finished_at: string | null;
                            /** @description of a completed run: with_warnings when any step has warnings; null otherwise */
                            outcome: ("clean" | "with_warnings") | null;
                            steps: components["schemas"]["Step"][];
                            usage: components["schemas"]["Usage"];
                            /** @description the run's usage per member, in the spec's order */
                            member_usage: {
                                member_id: string;
                                usage: components["schemas"]["Usage"];
                            }[];
                            /** @description true: an earlier request with this Idempotency-Key made this run */
                            idempotent_replay: boolean;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON; `NO_EXECUTABLE_STEP`: run has no executable step */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `IDEMPOTENCY_KEY_REUSED`: Idempotency-Key reused with a different request body */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a run: every unfinished step is canceled */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `ILLEGAL_TRANSITION`: illegal state transition */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Continue a paused, failed or canceled run (failed and canceled steps are retried) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `ILLEGAL_TRANSITION`: illegal state transition; `RUN_COMPLETED_CANNOT_RESUME`: completed run cannot be resumed; use restart */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/restart": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new attempt of the unfinished (or all) steps; earlier attempts stay in the history */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description unfinished (default): every step not completed; all: every step
                         * @enum {string}
                         */
                        mode?: "unfinished" | "all";
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `ILLEGAL_TRANSITION`: illegal state transition */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The run's event log: a JSON page, or a live SSE stream
         * @description With `Accept: text/event-stream` the answer is a stream: stored events after `Last-Event-ID` (or `?after=`), then new ones as they happen; each frame's `id` is the event's seq.
         */
        get: {
            parameters: {
                query?: {
                    after?: string;
                    cursor?: string;
                    /** @description page size: 100 when absent, at most 1000 */
                    limit?: string;
                    /** @description the bearer token, for EventSource clients (SSE) */
                    token?: string;
                };
                header?: {
                    /** @description SSE: resume after this seq */
                    "last-event-id"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of events (JSON), or the event stream (SSE) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            events: components["schemas"]["RunEvent"][];
                            /** @description pass as ?after= for the next page; null on the last */
                            next_cursor: string | null;
                        };
                        "text/event-stream": string;
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/steps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            steps: components["schemas"]["Step"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Add a step to an unfinished run */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        step_key: string;
                        /** @description a member of the run's team */
                        member_id: string;
                        /** @description step keys of this run */
                        depends_on?: string[];
                        prompt?: string;
                        /** @description the step's own input (default: the run's) */
                        input?: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Step"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON; `STEP_KEY_REQUIRED`: step_key is required; `MEMBER_ID_REQUIRED`: member_id is required; `UNKNOWN_MEMBER`: unknown member; `SPEC_INVALID`: invalid team spec */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `STEP_EXISTS`: step already exists for run; `ILLEGAL_TRANSITION`: illegal state transition */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/steps/{step_key}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a step whose dependencies completed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    step_key: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Step"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found; `STEP_NOT_FOUND`: step not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `ILLEGAL_TRANSITION`: illegal state transition */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/steps/{step_key}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    step_key: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description a string, or any JSON value (stored as its JSON) */
                        output?: unknown;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Step"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found; `STEP_NOT_FOUND`: step not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `ILLEGAL_TRANSITION`: illegal state transition */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/steps/{step_key}/fail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    step_key: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        error_text?: string;
                        /**
                         * @description default STEP_FAILED
                         * @enum {string}
                         */
                        code?: "EXECUTION_TIMEOUT" | "CANCELLED" | "AGENT_EXITED" | "AGENT_AUTH_REQUIRED" | "NODE_UNREACHABLE" | "WORKSPACE_ERROR" | "PERMISSION_DENIED" | "STEP_FAILED";
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Step"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON; `ERROR_TEXT_REQUIRED`: error_text is required */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found; `STEP_NOT_FOUND`: step not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `ILLEGAL_TRANSITION`: illegal state transition */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/steps/{step_key}/input_required": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause a working step until input arrives */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    step_key: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description what the step waits for */
                        reason?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Step"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found; `STEP_NOT_FOUND`: step not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `ILLEGAL_TRANSITION`: illegal state transition */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/steps/{step_key}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Continue a step that waited for input */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    step_key: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Step"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found; `STEP_NOT_FOUND`: step not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `ILLEGAL_TRANSITION`: illegal state transition */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a message to the run's members */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description a retry with the same key and the same body answers the first run (200, idempotent_replay); the same key with another body is refused (422 IDEMPOTENCY_KEY_REUSED) */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description a member of the run's team, or human:<name> */
                        from_actor_id: string;
                        /** @enum {string} */
                        route: "broadcast" | "to_leader" | "to_member";
                        /** @description with route to_member: the member */
                        to_actor_id?: string;
                        payload?: unknown;
                        /** @description a retry with the same key from the same sender is one message */
                        idempotency_key?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message_id: string;
                            seq: number;
                            recipients: string[];
                            /** @description true: an earlier send with this idempotency key stored it */
                            duplicate: boolean;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message_id: string;
                            seq: number;
                            recipients: string[];
                            /** @description true: an earlier send with this idempotency key stored it */
                            duplicate: boolean;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON; `INVALID_ROUTE`: route must be one of: broadcast, to_leader, to_member; `TO_ACTOR_REQUIRED`: to_actor_id is required when route=to_member; `UNKNOWN_MEMBER`: unknown member; `ROUTE_REQUIRES_LEADER`: route=to_leader requires a leader member in spec.members */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/messages/{message_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    message_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MailboxMessage"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found; `MESSAGE_NOT_FOUND`: message not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/inbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A member's messages not yet acked, oldest first */
        get: {
            parameters: {
                query: {
                    /** @description a member of the run's team */
                    actor_id: string;
                    /** @description messages after this seq */
                    after?: string;
                    /** @description page size: 100 when absent, at most 1000 */
                    limit?: string;
                    /** @description also messages delivered into a turn but not acked */
                    include_delivered?: "true" | "false";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            messages: components["schemas"]["InboxMessage"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `UNKNOWN_MEMBER`: unknown member */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/messages/{message_id}/ack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ack a message (idempotent; says whether it changed anything) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    message_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the recipient acking it */
                        actor_id: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message_id: string;
                            /** @description false: it was acked already */
                            changed: boolean;
                            /** @enum {string} */
                            status: "acked";
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON; `UNKNOWN_MEMBER`: unknown member */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found; `MESSAGE_NOT_FOUND`: message not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's agents (root: everyone's) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agents: components["schemas"]["Agent"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Define an agent (checked by the node that will run it; nothing is saved when refused) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description shown in lists; surrounding blanks are dropped */
                        name: string;
                        /** @description the node that runs it (default "main") */
                        node_id?: string;
                        /** @description a provider configured on the node ([agents.providers.NAME]) */
                        provider?: string;
                        /** @description or an explicit command (root only on a node without isolation) */
                        command?: string;
                        args?: string[];
                        /** @description write-only: answers show "(set)" for each value */
                        env?: {
                            [key: string]: string;
                        };
                        /**
                         * @description default use_existing
                         * @enum {string}
                         */
                        worktree_mode?: "use_existing" | "create_worktree";
                        /** @description use_existing: a directory within safe_paths */
                        workdir?: string;
                        /** @description create_worktree: the repository to make a worktree of */
                        worktree_repo?: string;
                        /** @description create_worktree: the ref to check out */
                        worktree_ref?: string;
                        /** @description the ACP session mode to set after session/new (one the agent offers) */
                        mode?: string;
                        /** @description the model to set (a config option of category "model", or session/set_model) */
                        model?: string;
                        /** @description config option id -> value (a select option's value, or a boolean), set after session/new */
                        config_options?: {
                            [key: string]: string | boolean;
                        };
                        /** @description stdio MCP servers given to session/new (with the provider's; the same name replaces it) */
                        mcp_servers?: {
                            name: string;
                            command: string;
                            /** @default [] */
                            args?: string[];
                            /**
                             * @description write-only: answers show "(set)" for each value
                             * @default {}
                             */
                            env?: {
                                [key: string]: string;
                            };
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Agent"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `WORKDIR_REQUIRED`: workdir is required; `WORKDIR_NOT_SAFE`: workdir path must be within allowed safe paths; `WORKDIR_MISSING`: workdir does not exist; `WORKTREE_REF_INVALID`: worktree_ref must be a git ref, not an option (starts with "-"); `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `FORBIDDEN`: forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NODE_NOT_FOUND`: agent node not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NODE_UNREACHABLE`: agent node is unreachable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Agent"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NOT_FOUND`: agent not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an agent (stopped first when it runs) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NOT_FOUND`: agent not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NODE_UNREACHABLE`: agent node is unreachable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agents/{id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Agent"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `WORKDIR_NOT_SAFE`: workdir path must be within allowed safe paths; `WORKDIR_MISSING`: workdir does not exist; `WORKSPACE_ERROR`: workspace could not be prepared */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `FORBIDDEN`: forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NOT_FOUND`: agent not found; `AGENT_NODE_NOT_FOUND`: agent node not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_ALREADY_RUNNING`: agent is already running */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_CONFIG_INVALID`: agent "{provider}" does not offer {setting} "{value}"; offered: {offered} */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_COMMAND_NOT_FOUND`: agent "{provider}" cannot start: command "{command}" not found; {hint}; `AGENT_AUTH_REQUIRED`: agent "{provider}" needs credentials: {hint} */
                424: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_EXITED`: agent exited; `AGENT_START_FAILED`: agent "{provider}" could not start: {cause} */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NODE_UNREACHABLE`: agent node is unreachable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agents/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Agent"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NOT_FOUND`: agent not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NODE_UNREACHABLE`: agent node is unreachable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agents/{id}/input": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queue a prompt turn on a running agent */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the prompt */
                        text: string;
                        /** @description makes a retried input a no-op; one is made when absent */
                        turn_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agent_id: string;
                            turn_id: string;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NOT_FOUND`: agent not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CONFLICT`: conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NODE_UNREACHABLE`: agent node is unreachable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agents/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a turn: the one named, or whichever runs now (ACP session/cancel; the agent stays up, its pending permission requests are cancelled) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description a queued or running turn; without it, whichever turn runs now */
                        turn_id?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agent_id: string;
                            /** @description the turn named, or null: whichever ran */
                            turn_id: string | null;
                            /**
                             * @description the turn was told to stop; its turn_ended event follows
                             * @enum {boolean}
                             */
                            cancelled: true;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NOT_FOUND`: agent not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NO_RUNNING_TURN`: agent has no running turn */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NODE_UNREACHABLE`: agent node is unreachable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agents/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An agent's events: a JSON page, or a live SSE stream with Accept: text/event-stream
         * @description With `Accept: text/event-stream` the answer is a stream of `id: <seq>` / `event: <kind>` frames: stored events after `Last-Event-ID` (or `?after=`), then live ones, without gap or duplicate. EventSource clients, which cannot set headers, pass the token as `?token=`.
         */
        get: {
            parameters: {
                query?: {
                    after?: string;
                    cursor?: string;
                    /** @description page size: 100 when absent, at most 1000 */
                    limit?: string;
                    /** @description the bearer token, for EventSource clients (SSE) */
                    token?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of events (JSON), or the event stream (SSE) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            events: components["schemas"]["AgentEvent"][];
                            /** @description pass as ?after= for the next page; null on the last */
                            next_cursor: string | null;
                        };
                        "text/event-stream": string;
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NOT_FOUND`: agent not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agents/{id}/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An agent's tool permission requests */
        get: {
            parameters: {
                query?: {
                    status?: "pending" | "resolved";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            permissions: components["schemas"]["PermissionRequest"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NOT_FOUND`: agent not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agents/{id}/permissions/{pid}/respond": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a permission request of an agent outside a run (a run's goes to its review route) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    pid: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description one of the request's options */
                        option_id?: string;
                        /**
                         * @description instead of an option: cancel the request
                         * @enum {string}
                         */
                        outcome?: "cancelled";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            agent_id: string;
                            /** @description its id in the agent's event stream (`request_id` of the permission_request event) */
                            node_request_id: string;
                            run_id: string | null;
                            step_key: string | null;
                            requester_member_id: string | null;
                            reviewer: string | null;
                            tool_call: unknown;
                            options: {
                                option_id: string;
                                name: string;
                                kind: string;
                            }[];
                            /** @enum {string} */
                            status: "pending" | "resolved";
                            outcome: unknown;
                            decided_by: string | null;
                            decided_at: string | null;
                            created_at: string | null;
                            /** @description it had been decided before: nothing changed */
                            already_resolved: boolean;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NOT_FOUND`: agent not found; `PERMISSION_REQUEST_NOT_FOUND`: permission request not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CONFLICT`: conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NODE_UNREACHABLE`: agent node is unreachable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/agent-nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            nodes: components["schemas"]["AgentNode"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `ROOT_REQUIRED`: root required */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Register a remote node (it is dialed first: nothing is saved when it cannot be reached) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the node's [node] id: its tokens are bound to it */
                        id: string;
                        /** @description default: the id */
                        name?: string;
                        /** @description "host:port" (an http(s):// prefix is dropped) */
                        grpc_target: string;
                        /** @description the name its certificate must carry */
                        tls_server_name?: string | null;
                        default_worktree_root?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AgentNode"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `ROOT_REQUIRED`: root required */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NODE_EXISTS`: agent node id or name already exists */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NODE_CONNECT_FAILED`: failed to connect to remote node */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/agent-nodes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AgentNode"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `ROOT_REQUIRED`: root required */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NODE_NOT_FOUND`: agent node not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Rename a node, move it (a new target is dialed first) or change its TLS name */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        /** @description "host:port" (an http(s):// prefix is dropped) */
                        grpc_target?: string;
                        tls_server_name?: string | null;
                        default_worktree_root?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AgentNode"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `ROOT_REQUIRED`: root required */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NODE_NOT_FOUND`: agent node not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NODE_EXISTS`: agent node id or name already exists */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NODE_CONNECT_FAILED`: failed to connect to remote node */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /** Forget a node (refused while it has active agents) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `ROOT_REQUIRED`: root required */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NODE_NOT_FOUND`: agent node not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NODE_BUSY`: agent node has active agents */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/agent-nodes/{id}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Probe a node now */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            status: "online" | "degraded" | "offline";
                            last_probe_at: string | null;
                            probe_latency_ms: number | null;
                            last_error: string | null;
                            /** @description the sandbox its agents run in; null when unreachable */
                            isolation: ("bwrap" | "none") | null;
                            /** @description the node's clock minus the hub's (ms), measured by this probe; null when unreachable or an older node. Tokens are refused beyond [internal_grpc.auth] clock_skew_seconds */
                            clock_skew_ms: number | null;
                            /** @description what the node's worktree root holds; null when unreachable or an older node */
                            worktrees: {
                                /** @description worktrees under the node's worktree root */
                                count: number;
                                /** @description their files' apparent size, measured at most a minute before */
                                bytes: number;
                            } | null;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `ROOT_REQUIRED`: root required */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_NODE_NOT_FOUND`: agent node not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/actor-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mint a member's actor token for this run, with the environment `agenthub actor` reads */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description a member of the run's team */
                        member_id: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the member's actor token (AGENTHUB_INTERNAL_GRPC_TOKEN) */
                            token: string;
                            /** @enum {string} */
                            role: "leader" | "worker";
                            /** @description the AGENTHUB_* environment `agenthub actor` reads */
                            env: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON; `MEMBER_ID_REQUIRED`: member_id is required; `UNKNOWN_MEMBER`: unknown member */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL_GRPC_UNAVAILABLE`: internal grpc client not available */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/{id}/runtime": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The team's runtime: started or stopped, and each member's agent */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TeamRuntime"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/{id}/runtime/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start one agent per member (all or nothing); runs waiting for it proceed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TeamRuntime"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON; `WORKDIR_REQUIRED`: workdir is required; `WORKDIR_NOT_SAFE`: workdir path must be within allowed safe paths; `WORKDIR_MISSING`: workdir does not exist; `WORKTREE_REF_INVALID`: worktree_ref must be a git ref, not an option (starts with "-"); `WORKSPACE_ERROR`: workspace could not be prepared */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `FORBIDDEN`: forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found; `AGENT_NODE_NOT_FOUND`: agent node not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_CONFIG_INVALID`: agent "{provider}" does not offer {setting} "{value}"; offered: {offered} */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_COMMAND_NOT_FOUND`: agent "{provider}" cannot start: command "{command}" not found; {hint}; `AGENT_AUTH_REQUIRED`: agent "{provider}" needs credentials: {hint} */
                424: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `AGENT_EXITED`: agent exited; `AGENT_START_FAILED`: agent "{provider}" could not start: {cause}; `TEAM_RUNTIME_START_FAILED`: team runtime could not start */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NODE_UNREACHABLE`: agent node is unreachable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/{id}/runtime/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop the team's member agents */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TeamRuntime"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/{id}/runtime/worktrees/remove": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Remove the worktrees kept for the team's removed members (`force`: whatever they hold)
         * @description Asks each node again for the worktrees listed in the runtime's `kept_worktrees`. Without `force` one that still holds unsaved work is kept again; with `force: true` it is removed and its uncommitted changes are lost (a branch with commits is still kept).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description remove them whatever they hold (uncommitted changes are lost) */
                        force?: boolean;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            worktrees: components["schemas"]["WorktreeOutcome"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `TEAM_NOT_FOUND`: team not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/permission-reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run's permission reviews (agents' permission requests, routed by the spec) */
        get: {
            parameters: {
                query?: {
                    status?: "pending" | "resolved";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            reviews: components["schemas"]["PermissionReview"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/permission-reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Permission reviews routed to a human, across the caller's runs (root: every team's)
         * @description What waits for people: `?status=pending` lists the reviews to answer, oldest first. Answer one with `POST /api/runs/:run_id/permission-reviews/:review_id/respond`.
         */
        get: {
            parameters: {
                query?: {
                    /** @description default: both */
                    status?: "pending" | "resolved";
                    /** @description page size: 100 when absent, at most 1000 */
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            reviews: components["schemas"]["PermissionReview"][];
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/permission-reviews/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One permission review by id (of a run the caller may see) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PermissionReview"];
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `REVIEW_NOT_FOUND`: permission review not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/permission-reviews/{review_id}/respond": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a permission review routed to a human (or as root) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    review_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description one of the review's options */
                        option_id?: string;
                        /**
                         * @description instead of an option: cancel the request
                         * @enum {string}
                         */
                        outcome?: "cancelled";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            review_id: string;
                            agent_id: string;
                            /** @description its id in the agent's event stream (`request_id` of the permission_request event) */
                            node_request_id: string;
                            run_id: string | null;
                            step_key: string | null;
                            requester_member_id: string | null;
                            /** @description a member id, or "human" */
                            reviewer: string | null;
                            tool_call: unknown;
                            options: {
                                option_id: string;
                                name: string;
                                kind: string;
                            }[];
                            /** @enum {string} */
                            status: "pending" | "resolved";
                            outcome: unknown;
                            decided_by: string | null;
                            decided_at: string | null;
                            created_at: string;
                            /** @description it had been decided before: nothing changed */
                            already_resolved: boolean;
                        };
                    };
                };
                /** @description `BAD_REQUEST`: invalid request; `INVALID_JSON`: request body must be valid JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header; `FORBIDDEN`: forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `RUN_NOT_FOUND`: run not found; `REVIEW_NOT_FOUND`: permission review not found; `AGENT_NODE_NOT_FOUND`: agent node not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `PAYLOAD_TOO_LARGE`: request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `UNSUPPORTED_MEDIA_TYPE`: content-type must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `NODE_UNREACHABLE`: agent node is unreachable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/attention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What waits for the caller: permission requests, steps needing input, failed runs, offline nodes
         * @description Permission reviews routed to humans in the caller's teams (and their own agents' requests outside runs), steps `input_required`, runs failed in the last 24 hours, and offline nodes (root: every node; others: the nodes their teams use). With `Accept: text/event-stream` the answer is a stream of `event: attention` frames, each the whole list: the current one first, then a new one whenever it changes.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the list (JSON), or the stream of lists (SSE) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AttentionList"];
                        "text/event-stream": string;
                    };
                };
                /** @description `BAD_REQUEST`: invalid request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `MISSING_TOKEN`: missing authorization token; `INVALID_TOKEN`: invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `CSRF_TOKEN_INVALID`: missing or invalid X-CSRF-Token header */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `INTERNAL`: internal server error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ErrorInput: {
            /** @description human-readable message (the contract's exact strings) */
            error: string;
            /** @description stable error code of this project */
            code: string;
            /** @description also in the X-Request-Id header */
            request_id: string;
            details?: {
                [key: string]: unknown;
            };
        };
        UsageInput: {
            /** @description the prompt turns counted (those whose agent reported usage) */
            turns: number;
            /** @description input tokens not read from a cache */
            input_tokens: number;
            output_tokens: number;
            cached_read_tokens: number;
            cached_write_tokens: number;
            /** @description reasoning tokens, when the agent reports them apart */
            thought_tokens: number;
            /** @description the agents' own totals (or the sum of the counts) */
            total_tokens: number;
            /** @description what the turns cost, one entry per currency; [] when no agent reported a cost */
            cost: {
                amount: number;
                /** @description e.g. "USD" */
                currency: string;
            }[];
        };
        WorktreeOutcomeInput: {
            member_id: string | null;
            agent_id: string;
            node_id: string;
            /** @description the worktree's path on its node */
            path: string;
            /** @description the branch agenthub created for it (agenthub/…) */
            branch: string;
            /** @description the worktree is gone */
            removed: boolean;
            /** @description why it was kept (uncommitted changes, commits on no branch, its node could not be asked, …); null when removed */
            kept_reason: string | null;
            /** @description its branch was deleted: no commits beyond its base that another branch or tag lacks */
            branch_deleted: boolean;
            /** @description why the branch was kept (it holds commits), when it was */
            branch_kept_reason: string | null;
        };
        KeptWorktreeInput: {
            member_id: string | null;
            agent_id: string;
            node_id: string;
            path: string;
            branch: string;
            /** @description why it was kept */
            reason: string;
            kept_at: string;
        };
        TeamDeletedInput: {
            id: string;
            /** @constant */
            deleted: true;
            /** @description what became of each member worktree */
            worktrees: components["schemas"]["WorktreeOutcomeInput"][];
        };
        StepWarningInput: {
            /** @enum {string} */
            code: "PERMISSION_DENIED" | "PERMISSION_TIMED_OUT" | "EMPTY_REPLY" | "ACTOR_TOKEN_EXPIRED";
            message: string;
        };
        StepInput: {
            step_key: string;
            member_id: string;
            depends_on: string[];
            prompt: string;
            /** @description the step's own input; null when the run's applies */
            input: unknown;
            /** @enum {string} */
            status: "submitted" | "working" | "input_required" | "awaiting_review" | "completed" | "failed" | "canceled";
            attempt: number;
            output: string | null;
            error: {
                code: string;
                message: string;
            } | null;
            /** @description of a completed step: clean, or with_warnings when it went on after a denied or timed-out permission or ended with an empty reply; null otherwise */
            outcome: ("clean" | "with_warnings") | null;
            /** @description what the step's current attempt went on without; [] when none */
            warnings: components["schemas"]["StepWarningInput"][];
            /** @description what the step's current attempt used (its turn's tokens and cost) */
            usage: components["schemas"]["UsageInput"];
            created_at: string;
            started_at: string | null;
            finished_at: string | null;
        };
        RunSummaryInput: {
            id: string;
            team_id: string;
            /** @enum {string} */
            status: "submitted" | "working" | "input_required" | "awaiting_review" | "completed" | "failed" | "canceled";
            input: unknown;
            attempt: number;
            error: {
                code: string;
                message: string;
            } | null;
            created_at: string;
            updated_at: string;
            finished_at: string | null;
        };
        RunInput: {
            id: string;
            team_id: string;
            /** @enum {string} */
            status: "submitted" | "working" | "input_required" | "awaiting_review" | "completed" | "failed" | "canceled";
            input: unknown;
            attempt: number;
            error: {
                code: string;
                message: string;
            } | null;
            created_at: string;
            updated_at: string;
            finished_at: string | null;
            /** @description of a completed run: with_warnings when any step has warnings; null otherwise */
            outcome: ("clean" | "with_warnings") | null;
            steps: components["schemas"]["StepInput"][];
            /** @description what all the run's turns used: every attempt of every step, and mail turns */
            usage: components["schemas"]["UsageInput"];
            /** @description the run's usage per member, in the spec's order */
            member_usage: {
                member_id: string;
                usage: components["schemas"]["UsageInput"];
            }[];
        };
        RunEventInput: {
            seq: number;
            kind: string;
            step_key: string | null;
            data: unknown;
            at: string;
        };
        MailboxMessageInput: {
            message_id: string;
            seq: number;
            from_actor_id: string;
            route: string;
            to_actor_id: string | null;
            kind: string;
            payload: unknown;
            created_at: string;
            deliveries: {
                recipient_id: string;
                /** @enum {string} */
                status: "pending" | "delivered" | "acked";
            }[];
        };
        InboxMessageInput: {
            message_id: string;
            seq: number;
            from_actor_id: string;
            route: string;
            to_actor_id: string | null;
            kind: string;
            payload: unknown;
            created_at: string;
            /**
             * @description this recipient's delivery
             * @enum {string}
             */
            status: "pending" | "delivered" | "acked";
        };
        PermissionReviewInput: {
            review_id: string;
            agent_id: string;
            /** @description its id in the agent's event stream (`request_id` of the permission_request event) */
            node_request_id: string;
            run_id: string | null;
            step_key: string | null;
            requester_member_id: string | null;
            /** @description a member id, or "human" */
            reviewer: string | null;
            tool_call: unknown;
            options: {
                option_id: string;
                name: string;
                kind: string;
            }[];
            /** @enum {string} */
            status: "pending" | "resolved";
            outcome: unknown;
            decided_by: string | null;
            decided_at: string | null;
            created_at: string;
        };
        TeamRuntimeInput: {
            team_id: string;
            /** @description started or stopped */
            status: string;
            members: {
                member_id: string;
                role: string;
                agent_id: string | null;
                node_id: string;
                /** @description the member agent's status, or not_started */
                status: string;
                workdir: string | null;
                last_error: string | null;
            }[];
            /** @description worktrees of removed members that were kept (they hold unsaved work, or their node could not be asked); remove them with POST /api/teams/:id/runtime/worktrees/remove. Held in the hub's memory: empty after a hub restart */
            kept_worktrees: components["schemas"]["KeptWorktreeInput"][];
        };
        /** @description What the agent's ACP session offers and what is in force, as its node last reported */
        AgentSessionInput: {
            /** @description the agent's own agentInfo */
            agent: {
                name: string;
                version: string;
            } | null;
            /** @description the ACP auth methods it offers (initialize) */
            auth_methods: {
                id: string;
                name: string;
                description?: string;
            }[];
            /** @description it can restore a session (session/load) */
            load_session: boolean;
            /** @description modes offered and the current one (session/set_mode) */
            modes: {
                current: string | null;
                available: {
                    id: string;
                    name: string;
                    description?: string;
                }[];
            } | null;
            /** @description models offered through ACP's unstable models state (session/set_model) */
            models: {
                current: string | null;
                available: {
                    id: string;
                    name: string;
                    description?: string;
                }[];
            } | null;
            /** @description config options offered, each with its current value (session/set_config_option) */
            config_options: {
                id: string;
                name: string;
                description?: string;
                /** @description e.g. "mode", "model", "thought_level" */
                category: string | null;
                /** @enum {string} */
                type: "select" | "boolean";
                current: string | boolean;
                /** @description a select option's values */
                values: {
                    id: string;
                    name: string;
                    description?: string;
                }[];
            }[];
            /** @description names of the MCP servers session/new gave it ("agenthub": the actor commands as tools, `agenthub actor mcp`) */
            mcp_servers?: string[];
        };
        AgentSpecInput: {
            provider?: string;
            command?: string;
            args?: string[];
            /** @description names only, each "(set)" */
            env?: {
                [key: string]: string;
            };
            /** @enum {string} */
            worktree_mode: "use_existing" | "create_worktree";
            workdir?: string;
            worktree_repo?: string;
            worktree_ref?: string;
            mode?: string;
            model?: string;
            config_options?: {
                [key: string]: string | boolean;
            };
            mcp_servers?: {
                name: string;
                command: string;
                args: string[];
                /** @description names only, each "(set)" */
                env: {
                    [key: string]: string;
                };
            }[];
        };
        AgentInput: {
            id: string;
            name: string;
            node_id: string;
            /** @enum {string} */
            status: "created" | "starting" | "running" | "idle" | "busy" | "exited" | "failed" | "stopped";
            workdir: string | null;
            team_id: string | null;
            member_id: string | null;
            last_error: string | null;
            last_event_seq: number;
            spec: components["schemas"]["AgentSpecInput"];
            /** @description null until the agent's session started */
            session: components["schemas"]["AgentSessionInput"] | null;
            /** @description its ACP session's id; a new start of the agent restores this session (session/load) when the agent can */
            session_id: string | null;
            /** @description what all the agent's turns used (tokens and cost, as its agent reported them) */
            usage: components["schemas"]["UsageInput"];
            created_at: string | null;
            updated_at: string | null;
        };
        AgentEventInput: {
            seq: number;
            kind: string;
            data: unknown;
            at: string | null;
        };
        PermissionRequestInput: {
            id: string;
            agent_id: string;
            /** @description its id in the agent's event stream (`request_id` of the permission_request event) */
            node_request_id: string;
            run_id: string | null;
            step_key: string | null;
            requester_member_id: string | null;
            reviewer: string | null;
            tool_call: unknown;
            options: {
                option_id: string;
                name: string;
                kind: string;
            }[];
            /** @enum {string} */
            status: "pending" | "resolved";
            outcome: unknown;
            decided_by: string | null;
            decided_at: string | null;
            created_at: string | null;
        };
        AgentNodeInput: {
            id: string;
            name: string;
            grpc_target: string;
            tls_server_name: string | null;
            default_worktree_root: string | null;
            /** @enum {string} */
            status: "online" | "degraded" | "offline";
            last_probe_at: string | null;
            probe_latency_ms: number | null;
            last_error: string | null;
            running_agents: number;
            created_at: string | null;
            updated_at: string | null;
        };
        UserInput: {
            user_id: string;
            username: string;
            is_root: boolean;
        };
        SessionInput: {
            token: string;
            expires_at: string;
            user: components["schemas"]["UserInput"];
        };
        JoinChallengeInput: {
            join_token: string;
            pin: string;
            expires_at: string;
        };
        PermissionAttentionInput: {
            /** @constant */
            kind: "permission";
            /** @description with run_id: the review id (POST /api/runs/{run_id}/permission-reviews/{id}/respond); without: the agent's permission request id (POST /api/agents/{agent_id}/permissions/{id}/respond) */
            id: string;
            agent_id: string;
            agent_name: string;
            run_id: string | null;
            team_id: string | null;
            team_name: string | null;
            step_key: string | null;
            requester_member_id: string | null;
            /** @description the agent's tool call as it reported it (title, kind, content…) */
            tool_call: unknown;
            options: {
                option_id: string;
                name: string;
                kind: string;
            }[];
            created_at: string;
        };
        InputAttentionInput: {
            /** @constant */
            kind: "input_required";
            run_id: string;
            team_id: string;
            team_name: string;
            step_key: string;
            member_id: string;
            since: string;
        };
        FailedRunAttentionInput: {
            /** @constant */
            kind: "run_failed";
            run_id: string;
            team_id: string;
            team_name: string;
            error: {
                code: string;
                message: string;
            } | null;
            finished_at: string;
        };
        NodeAttentionInput: {
            /** @constant */
            kind: "node_offline";
            node_id: string;
            name: string;
            last_error: string | null;
            last_ok_at: string | null;
        };
        AttentionItemInput: components["schemas"]["PermissionAttentionInput"] | components["schemas"]["InputAttentionInput"] | components["schemas"]["FailedRunAttentionInput"] | components["schemas"]["NodeAttentionInput"];
        AttentionListInput: {
            /** @description permission requests routed to people, steps waiting for input, runs failed in the last day, nodes offline */
            items: components["schemas"]["AttentionItemInput"][];
            /** @description items.length */
            count: number;
        };
        ReadinessChecksInput: {
            /** @description the database takes writes (a write transaction that rolls back) */
            database: {
                ok: boolean;
                /** @description why the check failed */
                error?: string;
            };
            /** @description the schema is at this build's latest migration */
            migrations: {
                ok: boolean;
                /** @description why the check failed */
                error?: string;
                /** @description the database's schema version (null: unreadable) */
                schema_version: number | null;
                /** @description the latest schema version this agenthub knows */
                latest_version: number;
            };
            /** @description the internal gRPC server (actor CLI, remote nodes) is serving */
            internal_grpc: {
                ok: boolean;
                /** @description why the check failed */
                error?: string;
                /** @description false: `[internal_grpc] enabled = false`, nothing to check */
                enabled: boolean;
            };
        };
        ReadyInput: {
            /** @constant */
            ready: true;
            checks: components["schemas"]["ReadinessChecksInput"];
        };
        MemberAgentSpecInput: {
            /** @description scripted, claude, codex, gemini, or a provider in the hub's [agents.providers.NAME] */
            provider?: string;
            /** @description an explicit command instead of a provider */
            command?: string;
            args?: string[];
            /** @description write-only: answers show "(set)" per value */
            env?: {
                [key: string]: string;
            };
            /** @description default "main" */
            node_id?: string;
            /** @enum {string} */
            worktree_mode?: "use_existing" | "create_worktree";
            workdir?: string;
            worktree_repo?: string;
            worktree_ref?: string;
            /** @description the ACP session mode set after session/new (one the agent offers) */
            mode?: string;
            /** @description the model (a config option of category "model", or session/set_model) */
            model?: string;
            /** @description config option id -> value, set after session/new */
            config_options?: {
                [key: string]: string | boolean;
            };
            /** @description stdio MCP servers given to session/new */
            mcp_servers?: {
                name: string;
                command: string;
                args: string[];
                /** @description write-only: answers show "(set)" per value */
                env: {
                    [key: string]: string;
                };
            }[];
        };
        MemberSpecInput: {
            member_id: string;
            /** @enum {string} */
            role: "leader" | "worker";
            description: string;
            skills: string[];
            agent?: components["schemas"]["MemberAgentSpecInput"];
        };
        StepSpecInput: {
            step_key: string;
            member_id: string;
            prompt: string;
            depends_on: string[];
            timeout_seconds?: number;
        };
        /** @description A permission request answered at once with an allow_once option when every condition given holds */
        AutoAllowRuleInput: {
            /** @description named in decided_by as "policy:<name>" (default auto_allow[<index>]) */
            name?: string;
            /** @description the requesting member, or "*" for any */
            member: string;
            /**
             * @description the tool call's ACP kind
             * @enum {string}
             */
            tool_kind?: "read" | "edit" | "delete" | "move" | "search" | "execute" | "think" | "fetch" | "switch_mode" | "other";
            /** @description a regular expression the tool call's title must match */
            title_matches?: string;
            /**
             * @description the tool call is one `agenthub actor …` command or a tool of the agenthub MCP server
             * @constant
             */
            actor_call?: true;
        };
        /** @description Where permission reviews go and what is answered by rule */
        PermissionPolicyInput: {
            /** @enum {string} */
            route: "to_leader" | "to_human";
            /** @description a reviewing agent may choose an allow_always option (default false: humans only) */
            agent_may_allow_always?: boolean;
            /**
             * @description the answer to a review nobody answers within [permissions] review_timeout_seconds
             * @enum {string}
             */
            on_timeout?: "reject" | "allow";
            /** @description rules answering requests without a reviewer, first match wins (default: members' own actor calls, "actor_calls") */
            auto_allow?: components["schemas"]["AutoAllowRuleInput"][];
        };
        /** @description A team's members and steps. Strict: an unknown key anywhere is refused with its path and the closest known key. */
        TeamSpecInput: {
            /** @constant */
            spec_version: 1;
            leader_member_id?: string;
            members: components["schemas"]["MemberSpecInput"][];
            entrypoint?: {
                member_id: string;
                prompt: string;
            };
            steps?: components["schemas"]["StepSpecInput"][];
            permissions: components["schemas"]["PermissionPolicyInput"];
        };
        TeamInput: {
            id: string;
            name: string;
            owner_id: string;
            spec: components["schemas"]["TeamSpecInput"];
            /** @description +1 per edit (the optimistic lock) */
            version: number;
            created_at: string;
            updated_at: string;
        };
        TaskInput: {
            id: string;
            team_id: string;
            title: string;
            /** @enum {string} */
            status: "open" | "in_progress" | "in_review" | "completed" | "canceled";
            assigned_member_id: string | null;
            priority: number;
            /** @description any JSON value; null when none */
            context: unknown;
            /** @description human:<username> or a member id */
            created_by: string;
            created_at: string;
            updated_at: string;
        };
        ConversationInput: {
            id: string;
            task_id: string;
            created_at: string;
        };
        ConversationMessageInput: {
            id: string;
            seq: number;
            from_actor_id: string;
            /** @enum {string} */
            route: "broadcast" | "to_leader" | "to_member";
            to_actor_id: string | null;
            payload: unknown;
            created_at: string;
        };
        WebhookInput: {
            id: string;
            owner_id: string;
            /** @description null: global (every team and node) */
            team_id: string | null;
            url: string;
            /** @enum {string} */
            format: "standard" | "slack";
            event_types: ("review.pending" | "step.input_required" | "run.completed" | "run.failed" | "run.canceled" | "node.offline" | "node.online" | "webhook.disabled")[];
            description: string | null;
            /** @enum {string} */
            status: "enabled" | "disabled";
            /** @description start of its current run of failed attempts */
            failing_since: string | null;
            disabled_at: string | null;
            disabled_reason: string | null;
            /** @description ISO 8601 */
            created_at: string;
            /** @description ISO 8601 */
            updated_at: string;
        };
        CreatedWebhookInput: {
            id: string;
            owner_id: string;
            /** @description null: global (every team and node) */
            team_id: string | null;
            url: string;
            /** @enum {string} */
            format: "standard" | "slack";
            event_types: ("review.pending" | "step.input_required" | "run.completed" | "run.failed" | "run.canceled" | "node.offline" | "node.online" | "webhook.disabled")[];
            description: string | null;
            /** @enum {string} */
            status: "enabled" | "disabled";
            /** @description start of its current run of failed attempts */
            failing_since: string | null;
            disabled_at: string | null;
            disabled_reason: string | null;
            /** @description ISO 8601 */
            created_at: string;
            /** @description ISO 8601 */
            updated_at: string;
            /** @description whsec_… signing secret (Standard Webhooks); shown only in this answer */
            secret: string;
        };
        WebhookDeliveryInput: {
            /** @description the webhook-id header of every attempt */
            id: string;
            event_id: string;
            /** @enum {string} */
            event_type: "review.pending" | "step.input_required" | "run.completed" | "run.failed" | "run.canceled" | "node.offline" | "node.online" | "webhook.disabled";
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            next_attempt_at: string | null;
            last_attempt_at: string | null;
            last_status_code: number | null;
            last_error: string | null;
            /** @description when it was delivered or given up */
            finished_at: string | null;
            /** @description ISO 8601 */
            created_at: string;
        };
        Error: {
            /** @description human-readable message (the contract's exact strings) */
            error: string;
            /** @description stable error code of this project */
            code: string;
            /** @description also in the X-Request-Id header */
            request_id: string;
            details?: {
                [key: string]: unknown;
            };
        };
        Usage: {
            /** @description the prompt turns counted (those whose agent reported usage) */
            turns: number;
            /** @description input tokens not read from a cache */
            input_tokens: number;
            output_tokens: number;
            cached_read_tokens: number;
            cached_write_tokens: number;
            /** @description reasoning tokens, when the agent reports them apart */
            thought_tokens: number;
            /** @description the agents' own totals (or the sum of the counts) */
            total_tokens: number;
            /** @description what the turns cost, one entry per currency; [] when no agent reported a cost */
            cost: {
                amount: number;
                /** @description e.g. "USD" */
                currency: string;
            }[];
        };
        WorktreeOutcome: {
            member_id: string | null;
            agent_id: string;
            node_id: string;
            /** @description the worktree's path on its node */
            path: string;
            /** @description the branch agenthub created for it (agenthub/…) */
            branch: string;
            /** @description the worktree is gone */
            removed: boolean;
            /** @description why it was kept (uncommitted changes, commits on no branch, its node could not be asked, …); null when removed */
            kept_reason: string | null;
            /** @description its branch was deleted: no commits beyond its base that another branch or tag lacks */
            branch_deleted: boolean;
            /** @description why the branch was kept (it holds commits), when it was */
            branch_kept_reason: string | null;
        };
        KeptWorktree: {
            member_id: string | null;
            agent_id: string;
            node_id: string;
            path: string;
            branch: string;
            /** @description why it was kept */
            reason: string;
            kept_at: string;
        };
        TeamDeleted: {
            id: string;
            /** @constant */
            deleted: true;
            /** @description what became of each member worktree */
            worktrees: components["schemas"]["WorktreeOutcome"][];
        };
        StepWarning: {
            /** @enum {string} */
            code: "PERMISSION_DENIED" | "PERMISSION_TIMED_OUT" | "EMPTY_REPLY" | "ACTOR_TOKEN_EXPIRED";
            message: string;
        };
        Step: {
            step_key: string;
            member_id: string;
            depends_on: string[];
            prompt: string;
            /** @description the step's own input; null when the run's applies */
            input: unknown;
            /** @enum {string} */
            status: "submitted" | "working" | "input_required" | "awaiting_review" | "completed" | "failed" | "canceled";
            attempt: number;
            output: string | null;
            error: {
                code: string;
                message: string;
            } | null;
            /** @description of a completed step: clean, or with_warnings when it went on after a denied or timed-out permission or ended with an empty reply; null otherwise */
            outcome: ("clean" | "with_warnings") | null;
            /** @description what the step's current attempt went on without; [] when none */
            warnings: components["schemas"]["StepWarning"][];
            /** @description what the step's current attempt used (its turn's tokens and cost) */
            usage: components["schemas"]["Usage"];
            created_at: string;
            started_at: string | null;
            finished_at: string | null;
        };
        RunSummary: {
            id: string;
            team_id: string;
            /** @enum {string} */
            status: "submitted" | "working" | "input_required" | "awaiting_review" | "completed" | "failed" | "canceled";
            input: unknown;
            attempt: number;
            error: {
                code: string;
                message: string;
            } | null;
            created_at: string;
            updated_at: string;
            finished_at: string | null;
        };
        Run: {
            id: string;
            team_id: string;
            /** @enum {string} */
            status: "submitted" | "working" | "input_required" | "awaiting_review" | "completed" | "failed" | "canceled";
            input: unknown;
            attempt: number;
            error: {
                code: string;
                message: string;
            } | null;
            created_at: string;
            updated_at: string;
            finished_at: string | null;
            /** @description of a completed run: with_warnings when any step has warnings; null otherwise */
            outcome: ("clean" | "with_warnings") | null;
            steps: components["schemas"]["Step"][];
            /** @description what all the run's turns used: every attempt of every step, and mail turns */
            usage: components["schemas"]["Usage"];
            /** @description the run's usage per member, in the spec's order */
            member_usage: {
                member_id: string;
                usage: components["schemas"]["Usage"];
            }[];
        };
        RunEvent: {
            seq: number;
            kind: string;
            step_key: string | null;
            data: unknown;
            at: string;
        };
        MailboxMessage: {
            message_id: string;
            seq: number;
            from_actor_id: string;
            route: string;
            to_actor_id: string | null;
            kind: string;
            payload: unknown;
            created_at: string;
            deliveries: {
                recipient_id: string;
                /** @enum {string} */
                status: "pending" | "delivered" | "acked";
            }[];
        };
        InboxMessage: {
            message_id: string;
            seq: number;
            from_actor_id: string;
            route: string;
            to_actor_id: string | null;
            kind: string;
            payload: unknown;
            created_at: string;
            /**
             * @description this recipient's delivery
             * @enum {string}
             */
            status: "pending" | "delivered" | "acked";
        };
        PermissionReview: {
            review_id: string;
            agent_id: string;
            /** @description its id in the agent's event stream (`request_id` of the permission_request event) */
            node_request_id: string;
            run_id: string | null;
            step_key: string | null;
            requester_member_id: string | null;
            /** @description a member id, or "human" */
            reviewer: string | null;
            tool_call: unknown;
            options: {
                option_id: string;
                name: string;
                kind: string;
            }[];
            /** @enum {string} */
            status: "pending" | "resolved";
            outcome: unknown;
            decided_by: string | null;
            decided_at: string | null;
            created_at: string;
        };
        TeamRuntime: {
            team_id: string;
            /** @description started or stopped */
            status: string;
            members: {
                member_id: string;
                role: string;
                agent_id: string | null;
                node_id: string;
                /** @description the member agent's status, or not_started */
                status: string;
                workdir: string | null;
                last_error: string | null;
            }[];
            /** @description worktrees of removed members that were kept (they hold unsaved work, or their node could not be asked); remove them with POST /api/teams/:id/runtime/worktrees/remove. Held in the hub's memory: empty after a hub restart */
            kept_worktrees: components["schemas"]["KeptWorktree"][];
        };
        /** @description What the agent's ACP session offers and what is in force, as its node last reported */
        AgentSession: {
            /** @description the agent's own agentInfo */
            agent: {
                name: string;
                version: string;
            } | null;
            /** @description the ACP auth methods it offers (initialize) */
            auth_methods: {
                id: string;
                name: string;
                description?: string;
            }[];
            /** @description it can restore a session (session/load) */
            load_session: boolean;
            /** @description modes offered and the current one (session/set_mode) */
            modes: {
                current: string | null;
                available: {
                    id: string;
                    name: string;
                    description?: string;
                }[];
            } | null;
            /** @description models offered through ACP's unstable models state (session/set_model) */
            models: {
                current: string | null;
                available: {
                    id: string;
                    name: string;
                    description?: string;
                }[];
            } | null;
            /** @description config options offered, each with its current value (session/set_config_option) */
            config_options: {
                id: string;
                name: string;
                description?: string;
                /** @description e.g. "mode", "model", "thought_level" */
                category: string | null;
                /** @enum {string} */
                type: "select" | "boolean";
                current: string | boolean;
                /** @description a select option's values */
                values: {
                    id: string;
                    name: string;
                    description?: string;
                }[];
            }[];
            /** @description names of the MCP servers session/new gave it ("agenthub": the actor commands as tools, `agenthub actor mcp`) */
            mcp_servers?: string[];
        };
        AgentSpec: {
            provider?: string;
            command?: string;
            args?: string[];
            /** @description names only, each "(set)" */
            env?: {
                [key: string]: string;
            };
            /** @enum {string} */
            worktree_mode: "use_existing" | "create_worktree";
            workdir?: string;
            worktree_repo?: string;
            worktree_ref?: string;
            mode?: string;
            model?: string;
            config_options?: {
                [key: string]: string | boolean;
            };
            mcp_servers?: {
                name: string;
                command: string;
                args: string[];
                /** @description names only, each "(set)" */
                env: {
                    [key: string]: string;
                };
            }[];
        };
        Agent: {
            id: string;
            name: string;
            node_id: string;
            /** @enum {string} */
            status: "created" | "starting" | "running" | "idle" | "busy" | "exited" | "failed" | "stopped";
            workdir: string | null;
            team_id: string | null;
            member_id: string | null;
            last_error: string | null;
            last_event_seq: number;
            spec: components["schemas"]["AgentSpec"];
            /** @description null until the agent's session started */
            session: components["schemas"]["AgentSession"] | null;
            /** @description its ACP session's id; a new start of the agent restores this session (session/load) when the agent can */
            session_id: string | null;
            /** @description what all the agent's turns used (tokens and cost, as its agent reported them) */
            usage: components["schemas"]["Usage"];
            created_at: string | null;
            updated_at: string | null;
        };
        AgentEvent: {
            seq: number;
            kind: string;
            data: unknown;
            at: string | null;
        };
        PermissionRequest: {
            id: string;
            agent_id: string;
            /** @description its id in the agent's event stream (`request_id` of the permission_request event) */
            node_request_id: string;
            run_id: string | null;
            step_key: string | null;
            requester_member_id: string | null;
            reviewer: string | null;
            tool_call: unknown;
            options: {
                option_id: string;
                name: string;
                kind: string;
            }[];
            /** @enum {string} */
            status: "pending" | "resolved";
            outcome: unknown;
            decided_by: string | null;
            decided_at: string | null;
            created_at: string | null;
        };
        AgentNode: {
            id: string;
            name: string;
            grpc_target: string;
            tls_server_name: string | null;
            default_worktree_root: string | null;
            /** @enum {string} */
            status: "online" | "degraded" | "offline";
            last_probe_at: string | null;
            probe_latency_ms: number | null;
            last_error: string | null;
            running_agents: number;
            created_at: string | null;
            updated_at: string | null;
        };
        User: {
            user_id: string;
            username: string;
            is_root: boolean;
        };
        Session: {
            token: string;
            expires_at: string;
            user: components["schemas"]["User"];
        };
        JoinChallenge: {
            join_token: string;
            pin: string;
            expires_at: string;
        };
        PermissionAttention: {
            /** @constant */
            kind: "permission";
            /** @description with run_id: the review id (POST /api/runs/{run_id}/permission-reviews/{id}/respond); without: the agent's permission request id (POST /api/agents/{agent_id}/permissions/{id}/respond) */
            id: string;
            agent_id: string;
            agent_name: string;
            run_id: string | null;
            team_id: string | null;
            team_name: string | null;
            step_key: string | null;
            requester_member_id: string | null;
            /** @description the agent's tool call as it reported it (title, kind, content…) */
            tool_call: unknown;
            options: {
                option_id: string;
                name: string;
                kind: string;
            }[];
            created_at: string;
        };
        InputAttention: {
            /** @constant */
            kind: "input_required";
            run_id: string;
            team_id: string;
            team_name: string;
            step_key: string;
            member_id: string;
            since: string;
        };
        FailedRunAttention: {
            /** @constant */
            kind: "run_failed";
            run_id: string;
            team_id: string;
            team_name: string;
            error: {
                code: string;
                message: string;
            } | null;
            finished_at: string;
        };
        NodeAttention: {
            /** @constant */
            kind: "node_offline";
            node_id: string;
            name: string;
            last_error: string | null;
            last_ok_at: string | null;
        };
        AttentionItem: components["schemas"]["PermissionAttention"] | components["schemas"]["InputAttention"] | components["schemas"]["FailedRunAttention"] | components["schemas"]["NodeAttention"];
        AttentionList: {
            /** @description permission requests routed to people, steps waiting for input, runs failed in the last day, nodes offline */
            items: components["schemas"]["AttentionItem"][];
            /** @description items.length */
            count: number;
        };
        ReadinessChecks: {
            /** @description the database takes writes (a write transaction that rolls back) */
            database: {
                ok: boolean;
                /** @description why the check failed */
                error?: string;
            };
            /** @description the schema is at this build's latest migration */
            migrations: {
                ok: boolean;
                /** @description why the check failed */
                error?: string;
                /** @description the database's schema version (null: unreadable) */
                schema_version: number | null;
                /** @description the latest schema version this agenthub knows */
                latest_version: number;
            };
            /** @description the internal gRPC server (actor CLI, remote nodes) is serving */
            internal_grpc: {
                ok: boolean;
                /** @description why the check failed */
                error?: string;
                /** @description false: `[internal_grpc] enabled = false`, nothing to check */
                enabled: boolean;
            };
        };
        Ready: {
            /** @constant */
            ready: true;
            checks: components["schemas"]["ReadinessChecks"];
        };
        MemberAgentSpec: {
            /** @description scripted, claude, codex, gemini, or a provider in the hub's [agents.providers.NAME] */
            provider?: string;
            /** @description an explicit command instead of a provider */
            command?: string;
            args?: string[];
            /** @description write-only: answers show "(set)" per value */
            env?: {
                [key: string]: string;
            };
            /** @description default "main" */
            node_id?: string;
            /** @enum {string} */
            worktree_mode?: "use_existing" | "create_worktree";
            workdir?: string;
            worktree_repo?: string;
            worktree_ref?: string;
            /** @description the ACP session mode set after session/new (one the agent offers) */
            mode?: string;
            /** @description the model (a config option of category "model", or session/set_model) */
            model?: string;
            /** @description config option id -> value, set after session/new */
            config_options?: {
                [key: string]: string | boolean;
            };
            /** @description stdio MCP servers given to session/new */
            mcp_servers?: {
                name: string;
                command: string;
                args: string[];
                /** @description write-only: answers show "(set)" per value */
                env: {
                    [key: string]: string;
                };
            }[];
        };
        MemberSpec: {
            member_id: string;
            /** @enum {string} */
            role: "leader" | "worker";
            description: string;
            skills: string[];
            agent?: components["schemas"]["MemberAgentSpec"];
        };
        StepSpec: {
            step_key: string;
            member_id: string;
            prompt: string;
            depends_on: string[];
            timeout_seconds?: number;
        };
        /** @description A permission request answered at once with an allow_once option when every condition given holds */
        AutoAllowRule: {
            /** @description named in decided_by as "policy:<name>" (default auto_allow[<index>]) */
            name?: string;
            /** @description the requesting member, or "*" for any */
            member: string;
            /**
             * @description the tool call's ACP kind
             * @enum {string}
             */
            tool_kind?: "read" | "edit" | "delete" | "move" | "search" | "execute" | "think" | "fetch" | "switch_mode" | "other";
            /** @description a regular expression the tool call's title must match */
            title_matches?: string;
            /**
             * @description the tool call is one `agenthub actor …` command or a tool of the agenthub MCP server
             * @constant
             */
            actor_call?: true;
        };
        /** @description Where permission reviews go and what is answered by rule */
        PermissionPolicy: {
            /** @enum {string} */
            route: "to_leader" | "to_human";
            /** @description a reviewing agent may choose an allow_always option (default false: humans only) */
            agent_may_allow_always?: boolean;
            /**
             * @description the answer to a review nobody answers within [permissions] review_timeout_seconds
             * @enum {string}
             */
            on_timeout?: "reject" | "allow";
            /** @description rules answering requests without a reviewer, first match wins (default: members' own actor calls, "actor_calls") */
            auto_allow?: components["schemas"]["AutoAllowRule"][];
        };
        /** @description A team's members and steps. Strict: an unknown key anywhere is refused with its path and the closest known key. */
        TeamSpec: {
            /** @constant */
            spec_version: 1;
            leader_member_id?: string;
            members: components["schemas"]["MemberSpec"][];
            entrypoint?: {
                member_id: string;
                prompt: string;
            };
            steps?: components["schemas"]["StepSpec"][];
            permissions: components["schemas"]["PermissionPolicy"];
        };
        Team: {
            id: string;
            name: string;
            owner_id: string;
            spec: components["schemas"]["TeamSpec"];
            /** @description +1 per edit (the optimistic lock) */
            version: number;
            created_at: string;
            updated_at: string;
        };
        Task: {
            id: string;
            team_id: string;
            title: string;
            /** @enum {string} */
            status: "open" | "in_progress" | "in_review" | "completed" | "canceled";
            assigned_member_id: string | null;
            priority: number;
            /** @description any JSON value; null when none */
            context: unknown;
            /** @description human:<username> or a member id */
            created_by: string;
            created_at: string;
            updated_at: string;
        };
        Conversation: {
            id: string;
            task_id: string;
            created_at: string;
        };
        ConversationMessage: {
            id: string;
            seq: number;
            from_actor_id: string;
            /** @enum {string} */
            route: "broadcast" | "to_leader" | "to_member";
            to_actor_id: string | null;
            payload: unknown;
            created_at: string;
        };
        Webhook: {
            id: string;
            owner_id: string;
            /** @description null: global (every team and node) */
            team_id: string | null;
            url: string;
            /** @enum {string} */
            format: "standard" | "slack";
            event_types: ("review.pending" | "step.input_required" | "run.completed" | "run.failed" | "run.canceled" | "node.offline" | "node.online" | "webhook.disabled")[];
            description: string | null;
            /** @enum {string} */
            status: "enabled" | "disabled";
            /** @description start of its current run of failed attempts */
            failing_since: string | null;
            disabled_at: string | null;
            disabled_reason: string | null;
            /** @description ISO 8601 */
            created_at: string;
            /** @description ISO 8601 */
            updated_at: string;
        };
        CreatedWebhook: {
            id: string;
            owner_id: string;
            /** @description null: global (every team and node) */
            team_id: string | null;
            url: string;
            /** @enum {string} */
            format: "standard" | "slack";
            event_types: ("review.pending" | "step.input_required" | "run.completed" | "run.failed" | "run.canceled" | "node.offline" | "node.online" | "webhook.disabled")[];
            description: string | null;
            /** @enum {string} */
            status: "enabled" | "disabled";
            /** @description start of its current run of failed attempts */
            failing_since: string | null;
            disabled_at: string | null;
            disabled_reason: string | null;
            /** @description ISO 8601 */
            created_at: string;
            /** @description ISO 8601 */
            updated_at: string;
            /** @description whsec_… signing secret (Standard Webhooks); shown only in this answer */
            secret: string;
        };
        WebhookDelivery: {
            /** @description the webhook-id header of every attempt */
            id: string;
            event_id: string;
            /** @enum {string} */
            event_type: "review.pending" | "step.input_required" | "run.completed" | "run.failed" | "run.canceled" | "node.offline" | "node.online" | "webhook.disabled";
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            next_attempt_at: string | null;
            last_attempt_at: string | null;
            last_status_code: number | null;
            last_error: string | null;
            /** @description when it was delivered or given up */
            finished_at: string | null;
            /** @description ISO 8601 */
            created_at: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
