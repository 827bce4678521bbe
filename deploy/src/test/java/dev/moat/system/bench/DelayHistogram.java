package dev.moat.system.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * audit-service's {@code moat_audit_events_delay_seconds} histogram of decisions (from a decision's own time to the
 * commit that made it queryable), scraped from its management interface: the cumulative count per bucket bound. The
 * difference of two scrapes is what the events stored between them took.
 */
record DelayHistogram(NavigableMap<Double, Double> cumulative) {

    private static final Pattern BUCKET = Pattern.compile(
            "^moat_audit_events_delay_seconds_bucket\\{kind=\"decision\",le=\"([^\"]+)\",?} (\\S+)$", Pattern.MULTILINE);

    static DelayHistogram scrape(HttpClient http, int managementPort) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/metrics"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        Matcher m = BUCKET.matcher(text);
        while (m.find()) {
            double bound = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            buckets.put(bound, Double.parseDouble(m.group(2)));
        }
        if (buckets.isEmpty()) {
            throw new IllegalStateException("no moat_audit_events_delay_seconds buckets at port " + managementPort);
        }
        return new DelayHistogram(buckets);
    }

    DelayHistogram minus(DelayHistogram earlier) {
        NavigableMap<Double, Double> difference = new TreeMap<>();
        cumulative.forEach((bound, count) -> difference.put(bound, count - earlier.cumulative.getOrDefault(bound, 0.0)));
        return new DelayHistogram(difference);
    }

    double count() {
        return cumulative.lastEntry().getValue();
    }

    /** The smallest bucket bound, in seconds, that at least {@code percent} % of the events fall under. */
    double percentile(double percent) {
        double wanted = percent / 100.0 * count();
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= wanted) {
                return bucket.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** The share of the events queryable within {@code seconds}, which must be a bucket bound. */
    double shareWithin(double seconds) {
        Double within = cumulative.get(seconds);
        if (within == null) {
            throw new IllegalArgumentException(seconds + " s is not a bucket bound");
        }
        return count() == 0 ? 0 : within / count();
    }
}
