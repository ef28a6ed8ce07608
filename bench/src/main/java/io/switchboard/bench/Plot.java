package io.switchboard.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Draws a sweep's CSV as a PNG with the JDK alone (headless Java2D): deliveries/s (left axis,
 * linear) and p99 latency (right axis, logarithmic, with the limit as a dashed line) against the
 * number of subscribers.
 */
final class Plot {
    private static final int W = 900;
    private static final int H = 520;
    private static final int LEFT = 90;
    private static final int RIGHT = 90;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color THROUGHPUT = new Color(0x1f, 0x77, 0xb4);
    private static final Color LATENCY = new Color(0xd6, 0x27, 0x28);

    private Plot() {
    }

    static void write(Path csv, Path png, double limitMs) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> lines = Files.readAllLines(csv);
        List<String> header = Arrays.asList(lines.getFirst().split(","));
        int xCol = header.indexOf("subscribers");
        int tCol = header.indexOf("deliveries_per_s");
        int pCol = header.indexOf("p99_ms");
        List<double[]> points = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            points.add(new double[]{Double.parseDouble(f[xCol]), Double.parseDouble(f[tCol]), Double.parseDouble(f[pCol])});
        }
        double maxX = points.stream().mapToDouble(p -> p[0]).max().orElse(1) * 1.05;
        double maxT = niceCeiling(points.stream().mapToDouble(p -> p[1]).max().orElse(1) * 1.1);
        double maxP = Math.max(limitMs * 4, points.stream().mapToDouble(p -> p[2]).max().orElse(1) * 2);
        double minP = Math.min(0.1, points.stream().mapToDouble(p -> p[2]).min().orElse(1) / 2);
        double logMin = Math.floor(Math.log10(minP));
        double logMax = Math.ceil(Math.log10(maxP));

        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;

        // grid and axes
        g.setColor(new Color(0xdd, 0xdd, 0xdd));
        for (int i = 0; i <= 5; i++) {
            int y = TOP + plotH - plotH * i / 5;
            g.drawLine(LEFT, y, LEFT + plotW, y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        for (int i = 0; i <= 5; i++) {
            int y = TOP + plotH - plotH * i / 5;
            g.setColor(THROUGHPUT);
            String label = String.format(Locale.ROOT, "%,.0f", maxT * i / 5);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        for (double e = logMin; e <= logMax; e++) {
            int y = yLog(Math.pow(10, e), logMin, logMax, plotH);
            g.setColor(LATENCY);
            String label = Math.pow(10, e) >= 1 ? String.format(Locale.ROOT, "%.0f", Math.pow(10, e))
                    : String.format(Locale.ROOT, "%.1f", Math.pow(10, e));
            g.drawString(label + " ms", LEFT + plotW + 8, y + 4);
        }
        g.setColor(Color.BLACK);
        for (double[] p : points) {
            int x = xOf(p[0], maxX, plotW);
            String label = String.format(Locale.ROOT, "%.0f", p[0]);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + plotH + 18);
        }
        g.drawString("subscribers in one room", LEFT + plotW / 2 - 70, H - 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Fan-out sweep: deliveries/s (blue, left) and p99 latency (red, right, log scale)", LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        // the p99 limit
        g.setColor(LATENCY);
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 6f}, 0f));
        int yLimit = yLog(limitMs, logMin, logMax, plotH);
        g.drawLine(LEFT, yLimit, LEFT + plotW, yLimit);
        g.drawString(String.format(Locale.ROOT, "p99 limit %.0f ms", limitMs), LEFT + 6, yLimit - 4);

        // series
        g.setStroke(new BasicStroke(2.5f));
        series(g, points, THROUGHPUT, p -> xOf(p[0], maxX, plotW), p -> TOP + plotH - (int) (plotH * p[1] / maxT));
        series(g, points, LATENCY, p -> xOf(p[0], maxX, plotW), p -> yLog(p[2], logMin, logMax, plotH));
        g.dispose();
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static void series(Graphics2D g, List<double[]> points, Color color,
                               java.util.function.ToIntFunction<double[]> x, java.util.function.ToIntFunction<double[]> y) {
        g.setColor(color);
        for (int i = 0; i < points.size(); i++) {
            int px = x.applyAsInt(points.get(i));
            int py = y.applyAsInt(points.get(i));
            g.fillOval(px - 4, py - 4, 8, 8);
            if (i > 0) {
                g.drawLine(x.applyAsInt(points.get(i - 1)), y.applyAsInt(points.get(i - 1)), px, py);
            }
        }
    }

    private static int xOf(double x, double maxX, int plotW) {
        return LEFT + (int) (plotW * x / maxX);
    }

    private static int yLog(double v, double logMin, double logMax, int plotH) {
        double clamped = Math.max(Math.pow(10, logMin), v);
        return TOP + plotH - (int) (plotH * (Math.log10(clamped) - logMin) / (logMax - logMin));
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1))));
        for (double step : new double[]{1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
