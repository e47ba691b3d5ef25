import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import { api, onSignedOut, type Schemas, unwrap } from "./api/client";

export type User = Schemas["User"];

interface SessionValue {
  /** undefined while loading, null when signed out. */
  user: User | null | undefined;
  /** Re-reads who is signed in (after login or join). */
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

/** Who is signed in: the session cookie is HttpOnly, so the console asks the hub (GET /api/me). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    const r = await api.GET("/api/me");
    setUser(r.response.ok && r.data ? r.data : null);
  }, []);
  const signOut = useCallback(async () => {
    await unwrap(api.POST("/api/logout")).catch(() => undefined);
    setUser(null);
  }, []);
  useEffect(() => {
    refresh().catch(() => setUser(null));
    return onSignedOut(() => setUser(null));
  }, [refresh]);
  return <SessionContext.Provider value={{ user, refresh, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error("useSession outside SessionProvider");
  return v;
}
