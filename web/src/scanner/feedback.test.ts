import { afterEach, describe, expect, it, vi } from "vitest";

class FakeAudioContext {
  static made: FakeAudioContext[] = [];
  state: "suspended" | "running" = "suspended";
  currentTime = 0;
  destination = {};
  tones: number[] = [];
  resume = vi.fn(async () => {
    this.state = "running";
  });
  constructor() {
    FakeAudioContext.made.push(this);
  }
  createOscillator() {
    const tones = this.tones;
    const oscillator = {
      frequency: { value: 0 },
      connect: (gain: unknown) => gain,
      start: () => tones.push(oscillator.frequency.value),
      stop: () => undefined,
    };
    return oscillator;
  }
  createGain() {
    return { gain: { value: 0 }, connect: () => undefined };
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
  FakeAudioContext.made = [];
});

describe("the scanner's sounds", () => {
  it("resumes the audio a browser keeps suspended, from the steward's press", async () => {
    vi.stubGlobal("AudioContext", FakeAudioContext);
    const { unlockSound } = await import("./feedback");
    unlockSound();
    const [context] = FakeAudioContext.made;
    expect(context?.resume).toHaveBeenCalledOnce(); // iOS Safari: silent verdicts otherwise
  });

  it("sounds a warning unlike a stop", async () => {
    vi.stubGlobal("AudioContext", FakeAudioContext);
    const { signal } = await import("./feedback");
    signal("stop");
    signal("warn");
    signal("go");
    const [context] = FakeAudioContext.made;
    expect(context?.tones).toEqual([220, 520, 520, 880]);
  });
});
