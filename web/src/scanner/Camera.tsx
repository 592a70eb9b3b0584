import { useEffect, useRef, useState } from "react";
import { decodeQr, platformDetector } from "./qrDecode";
import { unlockSound } from "./feedback";
import { newSightings } from "./sightings";

/** The back camera, looking for QR codes a few times a second. */
export function Camera({ onCode }: { onCode: (code: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [on, setOn] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [engine, setEngine] = useState<string>("");
  const handler = useRef(onCode);
  useEffect(() => {
    handler.current = onCode;
  }, [onCode]);

  useEffect(() => {
    if (!on) return;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let stopped = false;
    const counts = newSightings();
    const canvas = document.createElement("canvas");
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "environment" },
          audio: false,
        });
      } catch {
        setProblem("The camera cannot be opened: allow it, or type the code below.");
        setOn(false);
        return;
      }
      const element = video.current;
      if (!element || stopped) {
        // stopped while the permission prompt was open: the cleanup ran before the stream came
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      element.srcObject = stream;
      await element.play().catch(() => undefined);
      const detector = await platformDetector();
      setEngine(detector ? "BarcodeDetector" : "ZXing");
      const look = async () => {
        if (stopped) return;
        let code: string | null = null;
        if (element.videoWidth > 0) {
          if (detector) {
            code = (await detector.detect(element).catch(() => []))[0]?.rawValue ?? null;
          } else {
            canvas.width = element.videoWidth;
            canvas.height = element.videoHeight;
            const context = canvas.getContext("2d", { willReadFrequently: true });
            context?.drawImage(element, 0, 0);
            const frame = context?.getImageData(0, 0, canvas.width, canvas.height);
            code = frame ? decodeQr(frame) : null;
          }
        }
        if (counts(code, Date.now()) && code) handler.current(code);
        timer = window.setTimeout(() => void look(), 200);
      };
      void look();
    })();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [on]);

  return (
    <section className="scanner-camera" aria-labelledby="camera-heading">
      <h2 id="camera-heading">Camera</h2>
      {on && <video ref={video} muted playsInline aria-label="Camera view" />}
      {problem && <p role="alert">{problem}</p>}
      <button type="button" className="scanner-button" onClick={() => { unlockSound(); setProblem(null); setOn(!on); }}>
        {on ? "Stop camera" : "Scan with the camera"}
      </button>
      {on && engine && <p className="scanner-hint">Decoding with {engine}.</p>}
    </section>
  );
}
