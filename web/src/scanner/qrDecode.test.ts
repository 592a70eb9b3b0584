import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { decodeQr, type Frame } from "./qrDecode";

const SECRET =
  "dGt0XzAxSkRPT1JURVNUfHByZl8wMUpET09SVEVTVHx8MQ." +
  "v7LL57szprv6LW6gqMNf0t9ysp2rwkPy1NWkBICbCasn7N9C2b2Wba8Eg7tSjyxPsi_8E4pmMeoUv8iGLE0LCQ";

/** The QR code of ``text`` as an RGBA frame, ``scale`` pixels a module, on a white margin. */
function frameOf(text: string, scale = 4, margin = 4): Frame {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const side = (modules.size + 2 * margin) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (!modules.get(y, x)) continue;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const p = (((y + margin) * scale + dy) * side + (x + margin) * scale + dx) * 4;
          data[p] = data[p + 1] = data[p + 2] = 0;
        }
      }
    }
  }
  return { data, width: side, height: side };
}

describe("the JavaScript QR decoder (browsers without BarcodeDetector)", () => {
  it("reads a ticket's signed code", () => {
    expect(decodeQr(frameOf(SECRET))).toBe(SECRET);
  });
  it("finds nothing in a blank frame", () => {
    expect(decodeQr({ data: new Uint8ClampedArray(64 * 64 * 4).fill(255), width: 64, height: 64 })).toBeNull();
  });
});
