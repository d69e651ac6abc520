package dev.errand.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

/** A test's WebSocket: the messages it received, in order, and the close code once closed. */
final class SocketClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  final WebSocket socket;

  SocketClient(HttpClient http, URI uri) {
    this.socket =
        http.newWebSocketBuilder()
            .buildAsync(
                uri,
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket s, CharSequence text, boolean last) {
                    try {
                      messages.add(JSON.readTree(text.toString()));
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                    s.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket s, int code, String reason) {
                    closed.complete(code);
                    return null;
                  }
                })
            .join();
  }

  /** Sends a text message and waits until it is sent. */
  void send(String text) {
    socket.sendText(text, true).join();
  }
}
