#!/usr/bin/env bash
# The storefront's runtime configuration, from the environment (see the README's table).
set -euo pipefail
mode=${TICKETING_STOREFRONT_PAYMENTS:-emulator}
key=${TICKETING_STRIPE_PUBLISHABLE_KEY:-pk_test_dev_emulator}
emulator=${TICKETING_STRIPE_EMULATOR_PUBLIC_URL:-http://127.0.0.1:28090}
case $mode in emulator|stripe) ;; *) echo "TICKETING_STOREFRONT_PAYMENTS must be emulator or stripe" >&2; exit 1 ;; esac
case $key in pk_*) ;; *) echo "TICKETING_STRIPE_PUBLISHABLE_KEY must be a publishable key (pk_...)" >&2; exit 1 ;; esac
printf '{"stripe": {"mode": "%s", "publishable_key": "%s", "emulator_url": "%s"}}\n' "$mode" "$key" "$emulator"
