/** The scanner as an installable app: its manifest, and a service worker (scope /scanner/) that
 * keeps the app's files so it opens with no network after its first load. */

export function installScannerApp(): void {
  if (window.location.pathname === "/scanner") {
    // the service worker's scope is /scanner/, and a worker only takes over pages whose address
    // was inside it when they were opened: open the scanner there
    window.location.replace("/scanner/" + window.location.search);
    return;
  }
  if (!document.querySelector('link[rel="manifest"]')) {
    const link = document.createElement("link");
    link.rel = "manifest";
    link.href = "/scanner.webmanifest";
    document.head.append(link);
    const theme = document.createElement("meta");
    theme.name = "theme-color";
    theme.content = "#14213d";
    document.head.append(theme);
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker
      .register("/scanner-sw.js", { scope: "/scanner/", updateViaCache: "none" })
      .catch(() => undefined); // without it the scanner still works while the page stays open
  }
}
