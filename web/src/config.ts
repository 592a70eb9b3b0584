/** Runtime configuration, read from /storefront-config.json next to the app (written by
 * `make up` from the environment), so one build serves every environment. */
export interface StorefrontConfig {
  stripe: {
    /** "emulator": the dev/test card form; "stripe": Stripe.js Payment Element */
    mode: "emulator" | "stripe";
    publishable_key: string;
    emulator_url: string;
  };
}

/** The dev server's (`npm run dev`): a built app never falls back to these, or a config that
 * failed to load once would turn a real shop's payment form into the test emulator's. */
const DEV_DEFAULTS: StorefrontConfig = {
  stripe: {
    mode: "emulator",
    publishable_key: "pk_test_dev_emulator",
    emulator_url: "http://127.0.0.1:28090",
  },
};

let loaded: Promise<StorefrontConfig> | null = null;

/** The config, fetched once; a failed fetch is not kept (the next call asks again). */
export function storefrontConfig(
  fetchJson: (url: string) => Promise<Response> = (url) => fetch(url),
  dev: boolean = import.meta.env.DEV,
): Promise<StorefrontConfig> {
  loaded ??= fetchJson("/storefront-config.json")
    .then((r) => {
      if (r.ok) return r.json() as Promise<StorefrontConfig>;
      if (dev) return DEV_DEFAULTS;
      throw new Error(`the payment settings did not load (HTTP ${r.status})`);
    })
    .catch((error: unknown) => {
      loaded = null;
      if (dev) return DEV_DEFAULTS;
      throw error instanceof Error ? error : new Error("the payment settings did not load");
    });
  return loaded;
}
