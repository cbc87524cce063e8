import { loadControl, HostedControl } from "./controlHost";
import { DataverseWebApi } from "./dataverseWebApi";
import { loadVendorLibraries } from "./platformLibraries";

/**
 * The PCF host as a browser global (`/assets/pcfHost.js` → `window.PcsPcfHost`), for pages and benchmarks that
 * mount a built control themselves, e.g. the status panel with synthetic audit rows in headless Chromium:
 *
 *   const panel = await PcsPcfHost.loadControl("/controls/SyncStatusPanel/", 1033);
 *   new PcsPcfHost.HostedControl({ control: panel, container, bound: { syncState: {...} }, environment: {...} });
 */
const api = { loadControl, HostedControl, DataverseWebApi, loadVendorLibraries };
(window as unknown as { PcsPcfHost: typeof api }).PcsPcfHost = api;
