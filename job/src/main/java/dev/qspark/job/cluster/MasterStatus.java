package dev.qspark.job.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * What a standalone master reports on its web UI's {@code /json} page: registered workers and
 * applications.
 *
 * @param aliveWorkers workers in state ALIVE
 * @param activeApplications applications that are running now
 * @param json the whole page, for other fields
 */
public record MasterStatus(int aliveWorkers, int activeApplications, JsonNode json) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * Fetches the status from the master web UI at {@code webUiUrl}, or returns empty while the page
   * cannot be reached (the master is starting or has stopped).
   */
  public static Optional<MasterStatus> fetch(String webUiUrl) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(webUiUrl + "/json/"))
        .timeout(Duration.ofSeconds(5))
        .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode json = JSON.readTree(response.body());
      int alive = 0;
      for (JsonNode worker : json.path("workers")) {
        if ("ALIVE".equals(worker.path("state").asText())) {
          alive++;
        }
      }
      return Optional.of(new MasterStatus(alive, json.path("activeapps").size(), json));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
