/** What a page shows when its code could not be loaded (a lazy chunk lost to the network, a
 * deployment whose files are gone): words and a way out, never a blank screen. */
import { Component, type ReactNode } from "react";

export class LoadFailure extends Component<{ what: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="load-failure" role="alert">
        <h1>The {this.props.what} could not load</h1>
        <p>Its files did not arrive (no network, or a new version being put in place). Reconnect, then try again.</p>
        <button type="button" onClick={() => window.location.reload()}>
          Try again
        </button>
      </main>
    );
  }
}
