package dev.qspark.job.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ParetoChartTest {

  /** Twelve configs as a user's sweep had them: three coincide at 8.04 bits and 28.8 dB. */
  private static List<ConfigSummary> sweep() {
    List<ConfigSummary> summaries = new ArrayList<>();
    summaries.add(summary("int8-a", 8.04, 28.8));
    summaries.add(summary("int8-b", 8.04, 28.8));
    summaries.add(summary("int8-c", 8.04, 28.8));
    summaries.add(summary("int4-v2-g32", 4.5, 19.8));
    summaries.add(summary("int4-v2-g64", 4.25, 18.4));
    summaries.add(summary("int4-v2-g128", 4.125, 17.1));
    summaries.add(summary("int4-v1-g32", 20.2, 19.81));
    summaries.add(summary("int4-v1-g64", 20.1, 18.41));
    summaries.add(summary("intx-w4-g32", 8.5, 19.79));
    summaries.add(summary("intx-w4-g64", 8.25, 18.39));
    summaries.add(summary("intx-w2-g32", 8.5, 8.1));
    summaries.add(summary("intx-w3-g32", 8.5, 13.2));
    return summaries;
  }

  private static ConfigSummary summary(String configId, double bitsPerWeight, double sqnrDb) {
    return new ConfigSummary(configId, configId, 1, 0, 0, 1000, (long) (bitsPerWeight * 125), bitsPerWeight,
        bitsPerWeight, SqnrStatistics.of(List.of(sqnrDb)), List.of());
  }

  private static Document chart(List<ConfigSummary> summaries) throws Exception {
    String svg = SvgCharts.pareto(summaries, ParetoFront.of(summaries));
    Path preview = Path.of(System.getProperty("user.dir"), "target", "pareto-chart-preview.svg");
    Files.createDirectories(preview.getParent());
    Files.writeString(preview, svg);
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> labels(Document chart, String cssClass) {
    List<String> labels = new ArrayList<>();
    NodeList texts = chart.getElementsByTagName("text");
    for (int i = 0; i < texts.getLength(); i++) {
      Element text = (Element) texts.item(i);
      if (text.getAttribute("class").equals(cssClass)) {
        labels.add(text.getTextContent());
      }
    }
    return labels;
  }

  @Test
  void everyConfigIsLabeledOnce() throws Exception {
    Document chart = chart(sweep());
    List<String> all = new ArrayList<>(labels(chart, "point-label"));
    all.addAll(labels(chart, "point-label dominated"));
    for (ConfigSummary summary : sweep()) {
      assertThat(all.stream().filter(label -> label.matches(".*\\b" + summary.configId() + "\\b(,.*)?")).count())
          .as(summary.configId()).isEqualTo(1);
    }
  }

  @Test
  void coincidentConfigsShareOneLabel() throws Exception {
    List<String> front = labels(chart(sweep()), "point-label");
    assertThat(front).anySatisfy(label -> assertThat(label).contains("int8-a").contains("int8-b").contains("int8-c"));
  }

  @Test
  void dominatedConfigsGetSmallLabels() throws Exception {
    List<String> dominated = labels(chart(sweep()), "point-label dominated");
    assertThat(dominated).anySatisfy(label -> assertThat(label).contains("int4-v1-g32"));
    assertThat(dominated).noneSatisfy(label -> assertThat(label).contains("int4-v2-g32"));
  }

  @Test
  void legendSitsRightOfEveryPoint() throws Exception {
    Document chart = chart(sweep());
    double maxPointX = 0;
    double minLegendX = Double.MAX_VALUE;
    NodeList circles = chart.getElementsByTagName("circle");
    for (int i = 0; i < circles.getLength(); i++) {
      Element circle = (Element) circles.item(i);
      double cx = Double.parseDouble(circle.getAttribute("cx"));
      if (circle.getAttribute("class").startsWith("point")) {
        maxPointX = Math.max(maxPointX, cx + 6);
      } else {
        minLegendX = Math.min(minLegendX, cx - 6);
      }
    }
    assertThat(minLegendX).isGreaterThan(maxPointX);
  }

  @Test
  void distinctPointsCountCoincidentConfigsOnce() {
    List<ConfigSummary> front = ParetoFront.of(sweep());
    assertThat(front).extracting(ConfigSummary::configId).contains("int8-a", "int8-b", "int8-c");
    assertThat(ParetoFront.distinctPoints(front)).isEqualTo(front.size() - 2);
  }
}
