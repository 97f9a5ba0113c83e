/**
 * A line chart as inline SVG (no script, no external file): series over a time axis in
 * seconds, with fault marks: a vertical line for a one-off fault, a shaded band for one that
 * lasts.
 */
export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  /** [x, y]; y null leaves a gap. */
  readonly points: ReadonlyArray<readonly [number, number | null]>;
}

export interface ChartMark {
  readonly label: string;
  readonly color: string;
  readonly from: number;
  /** Absent: a line at `from`. */
  readonly to?: number;
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xMax: number;
  readonly series: readonly ChartSeries[];
  readonly marks: readonly ChartMark[];
  readonly width?: number;
  readonly height?: number;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** A round step that gives about `count` ticks up to `max`. */
function tickStep(max: number, count: number): number {
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return step ?? 10 * magnitude;
}

export function lineChart(chart: LineChart): string {
  const width = chart.width ?? 960;
  const height = chart.height ?? 280;
  const pad = { left: 64, right: 16, top: 28, bottom: 40 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const ys = chart.series.flatMap((s) => s.points.map((p) => p[1] ?? 0));
  const yStep = tickStep(Math.max(1, ...ys) * 1.05, 5);
  const yMax = Math.ceil((Math.max(1, ...ys) * 1.05) / yStep) * yStep;
  const xMax = Math.max(1, chart.xMax);
  const xStep = tickStep(xMax, 10);
  const x = (v: number): number => pad.left + (Math.min(Math.max(v, 0), xMax) / xMax) * plotW;
  const y = (v: number): number => pad.top + plotH - (v / yMax) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}">`,
    `<text x="${pad.left}" y="18" class="title">${escapeXml(chart.title)}</text>`,
  ];
  for (const mark of chart.marks) {
    const title = `<title>${escapeXml(mark.label)}</title>`;
    if (mark.to === undefined) {
      out.push(
        `<line x1="${x(mark.from)}" x2="${x(mark.from)}" y1="${pad.top}" y2="${pad.top + plotH}" stroke="${mark.color}" stroke-width="1.5" stroke-dasharray="4 3">${title}</line>`,
      );
    } else {
      out.push(
        `<rect x="${x(mark.from)}" y="${pad.top}" width="${Math.max(1, x(mark.to) - x(mark.from))}" height="${plotH}" fill="${mark.color}" fill-opacity="0.12">${title}</rect>`,
      );
    }
  }
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    out.push(
      `<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${y(v)}" y2="${y(v)}" class="grid"/>`,
      `<text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end" class="tick">${Number(v.toFixed(2))}</text>`,
    );
  }
  for (let v = 0; v <= xMax + 1e-9; v += xStep) {
    out.push(
      `<text x="${x(v)}" y="${pad.top + plotH + 16}" text-anchor="middle" class="tick">${Number(v.toFixed(1))}</text>`,
    );
  }
  out.push(
    `<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${pad.top + plotH}" y2="${pad.top + plotH}" class="axis"/>`,
    `<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${pad.top + plotH}" class="axis"/>`,
    `<text x="${pad.left + plotW / 2}" y="${height - 6}" text-anchor="middle" class="label">${escapeXml(chart.xLabel)}</text>`,
    `<text x="14" y="${pad.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 14 ${pad.top + plotH / 2})" class="label">${escapeXml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, i) => {
    let path = "";
    let pen = false;
    for (const [px, py] of series.points) {
      if (py === null) {
        pen = false;
        continue;
      }
      path += `${pen ? "L" : "M"}${x(px).toFixed(1)} ${y(py).toFixed(1)} `;
      pen = true;
    }
    out.push(
      `<path d="${path.trim()}" fill="none" stroke="${series.color}" stroke-width="1.8"/>`,
      `<rect x="${pad.left + plotW - 150}" y="${pad.top + 6 + i * 16}" width="10" height="10" fill="${series.color}"/>`,
      `<text x="${pad.left + plotW - 134}" y="${pad.top + 15 + i * 16}" class="tick">${escapeXml(series.name)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n");
}
