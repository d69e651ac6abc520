// The WebSocket example of the task API document (tasks-api.md), as written there, changed only in
// the URLs and the credentials (from the environment). Around it: a sign-in for the access token,
// a task submitted once the socket is subscribed so that there are updates to handle, and an exit
// once that task has ended. Node has a WebSocket global from version 22; on older versions the
// `ws` package (which has the same onopen/onmessage interface) stands in for it.
import { createRequire } from 'node:module';

const BASE_URL = process.env.ERRAND_BASE_URL;
const WebSocket = globalThis.WebSocket ?? createRequire(process.env.ERRAND_WS_DIR + '/')('ws');
let access_token;

{
  const response = await fetch(`${BASE_URL}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      username: process.env.ERRAND_USERNAME,
      password: process.env.ERRAND_PASSWORD
    })
  });
  ({ access_token } = await response.json());
}

// ---- the document's example, from here to handleTaskUpdate ----

// Get WebSocket authentication token
const wsAuthResponse = await fetch(`${BASE_URL}/api/v1/websocket-auth`, {
  method: 'POST',
  headers: {
    'Authorization': `Bearer ${access_token}`,
    'Content-Type': 'application/json'
  }
});

const { websocket_token } = await wsAuthResponse.json();

// Connect to WebSocket
const ws = new WebSocket(BASE_URL.replace(/^http/, 'ws') + '/ws/tasks');

ws.onopen = () => {
  // Authenticate WebSocket connection
  ws.send(JSON.stringify({
    type: 'authenticate',
    token: websocket_token
  }));

  // Subscribe to task updates
  ws.send(JSON.stringify({
    type: 'subscribe',
    channels: ['task_updates', 'system_notifications']
  }));
};

ws.onmessage = (event) => {
  const data = JSON.parse(event.data);
  handleTaskUpdate(data);
};

function handleTaskUpdate(data) {
  switch(data.type) {
    case 'task_started':
      console.log(`Task ${data.task_id} started processing`);
      break;

    case 'task_progress':
      console.log(`Task ${data.task_id} progress: ${data.progress}%`);
      break;

    case 'task_completed':
      console.log(`Task ${data.task_id} completed successfully`);
      break;

    case 'task_failed':
      console.error(`Task ${data.task_id} failed: ${data.error}`);
      break;
  }
}

// ---- end of the document's example ----

let submitted;
ws.addEventListener('message', async (event) => {
  const data = JSON.parse(event.data);
  if (data.type === 'subscribed') {
    const response = await fetch(`${BASE_URL}/api/v1/tasks`, {
      method: 'POST',
      headers: { 'Authorization': `Bearer ${access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        task_type: 'research_agent',
        input: { query: 'Q3', sources: ['financial_reports', 'market_data'] }
      })
    });
    ({ task_id: submitted } = await response.json());
    console.log(`submitted ${submitted}`);
  }
  if ((data.type === 'task_completed' || data.type === 'task_failed') && data.task_id === submitted) {
    ws.close();
  }
});
ws.onclose = (event) => console.log(`closed ${event.code}`);
