/** A sound and a vibration for each answer, where the device allows (neither is required). */
import type { Tone } from "./answers";

let audio: AudioContext | null = null;

export function signal(tone: Tone): void {
  const pattern = tone === "go" ? [80] : [250, 100, 250];
  try {
    navigator.vibrate?.(pattern);
  } catch {
    // vibration refused (desktop, or no user gesture yet): the colour says it
  }
  try {
    audio ??= new AudioContext();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = tone === "go" ? 880 : 220;
    gain.gain.value = 0.2;
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + (tone === "go" ? 0.15 : 0.5));
  } catch {
    // no audio on this device
  }
}
