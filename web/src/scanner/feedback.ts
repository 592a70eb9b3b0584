/** A sound and a vibration for each answer, where the device allows (neither is required). */
import type { Tone } from "./answers";

let audio: AudioContext | null = null;

/** The sound of each answer: a short high beep lets in, a long low one stops, and two middle
 * ones ask the steward to look (another performance, sign in again): never mistaken for stop. */
const SOUNDS: Record<Tone, { hz: number; seconds: number; times: number }> = {
  go: { hz: 880, seconds: 0.15, times: 1 },
  stop: { hz: 220, seconds: 0.5, times: 1 },
  warn: { hz: 520, seconds: 0.12, times: 2 },
};
const VIBRATIONS: Record<Tone, number[]> = {
  go: [80],
  stop: [250, 100, 250],
  warn: [60, 80, 60, 80, 60],
};

/** Make sound possible: browsers (iOS Safari above all) keep audio suspended unless it is
 * started from a tap, and a verdict comes from the camera, not from a tap. Call on a press. */
export function unlockSound(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") void audio.resume();
  } catch {
    // no audio on this device
  }
}

export function signal(tone: Tone): void {
  try {
    navigator.vibrate?.(VIBRATIONS[tone]);
  } catch {
    // vibration refused (desktop, iOS, or no user gesture yet): the colour and words say it
  }
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") void audio.resume();
    const sound = SOUNDS[tone];
    for (let n = 0; n < sound.times; n++) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      const at = audio.currentTime + n * sound.seconds * 2;
      oscillator.frequency.value = sound.hz;
      gain.gain.value = 0.2;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + sound.seconds);
    }
  } catch {
    // no audio on this device
  }
}
