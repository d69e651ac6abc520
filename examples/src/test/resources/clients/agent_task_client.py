# The Python example of the agent-task document (agent-task-api.md), changed only in the base
# URL and the credentials, which come from the environment; the last lines run it.
import asyncio
import os
import httpx
CAYLEX_API_URL = os.environ["ERRAND_BASE_URL"] + "/api/v1/"
PLATFORM_TOKEN = os.environ["ERRAND_TOKEN"]
CAYLEX_API_KEY = os.environ["ERRAND_API_KEY"]
async def run_background_task(user_email: str, prompt: str) -> dict:
    async with httpx.AsyncClient() as client:
        # 1. Submit the task.
        submit = await client.post(
            f"{CAYLEX_API_URL}agent-task",
            headers={"Authorization": f"Bearer {PLATFORM_TOKEN}"},
            json={
                "caylex_api_key": CAYLEX_API_KEY,
                "user_email": user_email,
                "prompt": prompt,
            },
        )
        submit.raise_for_status()
        task_id = submit.json()["task_id"]
        # 2. Poll until it finishes.
        while True:
            await asyncio.sleep(5)
            status = await client.get(
                f"{CAYLEX_API_URL}agent-task/{task_id}",
                headers={"Authorization": f"Bearer {PLATFORM_TOKEN}"},
            )
            status.raise_for_status()
            data = status.json()
            if data["status"] in ("COMPLETED", "INCOMPLETE", "FAILED"):
                return data

print(asyncio.run(run_background_task("jane@example.com",
    "Review last week's support tickets. Draft a summary of recurring issues.")))
