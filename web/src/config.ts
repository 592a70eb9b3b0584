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

const DEFAULTS: StorefrontConfig = {
  stripe: {
    mode: "emulator",
    publishable_key: "pk_test_dev_emulator",
    emulator_url: "http://127.0.0.1:28090",
  },
};

let loaded: Promise<StorefrontConfig> | null = null;

export function storefrontConfig(): Promise<StorefrontConfig> {
  loaded ??= fetch("/storefront-config.json")
    .then((r) => (r.ok ? (r.json() as Promise<StorefrontConfig>) : DEFAULTS))
    .catch(() => DEFAULTS);
  return loaded;
}
