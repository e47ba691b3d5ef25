import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

/**
 * Debian's chromium, driven by playwright-core (Playwright cannot download its own browsers here;
 * scripts/ensure-system-packages.sh installs the package). CHROMIUM_PATH overrides the path.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((p): p is string => Boolean(p) && existsSync(p as string));
  if (!found) throw new Error("chromium not found: apt-get install chromium (or set CHROMIUM_PATH)");
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  return chromium.launch({
    executablePath: chromiumPath(),
    // As root, chromium's own sandbox refuses to start.
    args: root ? ["--no-sandbox"] : [],
  });
}

/** Screenshots for a reviewer to look at (not committed: test-output/ is ignored). */
export const SCREENSHOTS = resolve(import.meta.dirname, "..", "..", "test-output", "screenshots");

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
