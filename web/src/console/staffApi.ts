/** Staff calls the typed client does not cover: a CSV body, a PDF to print. */
import { ApiRefusal, type Problem } from "../api/problems";

async function refusal(response: Response): Promise<ApiRefusal> {
  const body: unknown = await response.json().catch(() => null);
  const problem: Problem =
    body && typeof body === "object" && "type" in body
      ? (body as Problem)
      : { type: "about:blank", title: response.statusText || "Error", status: response.status };
  return new ApiRefusal(problem);
}

export async function postCsv<T>(path: string, csv: string, headers: Record<string, string>): Promise<T> {
  const response = await fetch(path, {
    method: "POST",
    headers: { ...headers, "Content-Type": "text/csv" },
    body: csv,
  });
  if (!response.ok) throw await refusal(response);
  return (await response.json()) as T;
}

/** The order's tickets PDF as a blob URL, or null while it is still being prepared (404). */
export async function ticketsPdf(orderId: string, headers: Record<string, string>): Promise<string | null> {
  const response = await fetch(`/v1/orders/${encodeURIComponent(orderId)}/tickets.pdf`, { headers });
  if (response.status === 404) return null;
  if (!response.ok) throw await refusal(response);
  return URL.createObjectURL(await response.blob());
}
