// The fetch calls of the task API document (tasks-api.md), in its order, changed only in the base
// URL and the credentials (from the environment). Each call is in its own block because the
// document reuses the name `response`; `task_id` is the submitted task's id.
const BASE_URL = process.env.ERRAND_BASE_URL;
let access_token, task_id;

{
  // Get authentication token
  const response = await fetch(`${BASE_URL}/auth/login`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json'
    },
    body: JSON.stringify({
      username: process.env.ERRAND_USERNAME,
      password: process.env.ERRAND_PASSWORD
      // OR use SSO token
      // sso_token: 'your_sso_token'
    })
  });

  ({ access_token } = await response.json());
}

{
  const response = await fetch(`${BASE_URL}/api/v1/tasks`, {
    method: 'POST',
    headers: {
      'Authorization': `Bearer ${access_token}`,
      'Content-Type': 'application/json'
    },
    body: JSON.stringify({
      task_type: "research_agent",
      priority: 5,
      input: {
        query: "Analyze Q3 financial performance for tech sector",
        sources: ["financial_reports", "market_data", "earnings_calls"],
        analysis_depth: "comprehensive",
        output_format: "executive_summary"
      },
      webhook_url: "https://yourcompany.com/webhooks/tasks",
      metadata: {
        department: "finance",
        project: "quarterly_analysis",
        requester: "jane.doe@company.com"
      }
    })
  });

  const result = await response.json();
  console.log(result);
  task_id = result.task_id;
}

{
  const response = await fetch(`${BASE_URL}/api/v1/tasks/${task_id}`, {
    headers: {
      'Authorization': `Bearer ${access_token}`
    }
  });

  const taskStatus = await response.json();
  console.log(taskStatus);
}

{
  const params = new URLSearchParams({
    status: 'processing,completed',
    task_type: 'research_agent',
    limit: '20',
    offset: '0',
    sort_by: 'created_at',
    sort_order: 'desc'
  });

  const response = await fetch(`${BASE_URL}/api/v1/tasks?${params}`, {
    headers: {
      'Authorization': `Bearer ${access_token}`
    }
  });

  const tasks = await response.json();
  console.log(tasks);
}

{
  const response = await fetch(`${BASE_URL}/api/v1/tasks/${task_id}/cancel`, {
    method: 'POST',
    headers: {
      'Authorization': `Bearer ${access_token}`,
      'Content-Type': 'application/json'
    },
    body: JSON.stringify({
      reason: "Task no longer needed",
      force: false
    })
  });
  console.log(await response.json());
}

{
  const response = await fetch(`${BASE_URL}/api/v1/tasks/${task_id}/results`, {
    headers: {
      'Authorization': `Bearer ${access_token}`,
      'Accept': 'application/json'
    }
  });

  const results = await response.json();
  console.log(results);
}

{
  // Get WebSocket authentication token
  const wsAuthResponse = await fetch(`${BASE_URL}/api/v1/websocket-auth`, {
    method: 'POST',
    headers: {
      'Authorization': `Bearer ${access_token}`,
      'Content-Type': 'application/json'
    }
  });

  const { websocket_token } = await wsAuthResponse.json();
  console.log({ websocket_token_received: typeof websocket_token === 'string' });
}
