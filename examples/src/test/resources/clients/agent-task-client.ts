// The TypeScript example of the agent-task document (agent-task-api.md), changed only in the base
// URL and the credentials, which come from the environment; the last lines run it.
const CAYLEX_API_URL = process.env.ERRAND_BASE_URL + "/api/v1/";
const PLATFORM_TOKEN = process.env.ERRAND_TOKEN!;
const CAYLEX_API_KEY = process.env.ERRAND_API_KEY!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export async function runBackgroundTask(userEmail: string, prompt: string) {
// 1. Submit the task.
const submit = await fetch(`${CAYLEX_API_URL}agent-task`, {
method: "POST",
headers: {
Authorization: `Bearer ${PLATFORM_TOKEN}`,
"Content-Type": "application/json",
},
body: JSON.stringify({
caylex_api_key: CAYLEX_API_KEY,
user_email: userEmail,
prompt,
}),
});
if (!submit.ok) throw new Error("Failed to submit agent task");
const { task_id } = await submit.json();
// 2. Poll until it finishes.
while (true) {
await sleep(5000);
const res = await fetch(`${CAYLEX_API_URL}agent-task/${task_id}`, {
headers: { Authorization: `Bearer ${PLATFORM_TOKEN}` },
});
if (!res.ok) throw new Error("Failed to fetch agent task status");
const data = await res.json();
if (["COMPLETED", "INCOMPLETE", "FAILED"].includes(data.status)) {
return data;
}
}
}

console.log(JSON.stringify(await runBackgroundTask("jane@example.com", "Review the tickets. Draft a summary.")));
