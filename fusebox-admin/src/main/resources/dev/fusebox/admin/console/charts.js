// Charts of one breaker's last 15 minutes, drawn by uPlot (served from our jar). The state over
// time is a band behind each chart: shaded while open or half-open. Series differ by dash as
// well as by colour.

import uPlot from '/console/vendor/uplot-1.6.30/uPlot.esm.js';

const BAND = { OPEN: 'rgba(197, 48, 48, 0.16)', HALF_OPEN: 'rgba(214, 158, 46, 0.22)' };

/** Shades the seconds a breaker was open or half-open; states() gives the state of each sample. */
function stateBand(states) {
  return {
    hooks: {
      drawClear: [(u) => {
        const xs = u.data[0];
        const st = states();
        const ctx = u.ctx;
        ctx.save();
        for (let i = 0; i < xs.length; i++) {
          const fill = BAND[st[i]];
          if (!fill) continue;
          let j = i;
          while (j + 1 < xs.length && st[j + 1] === st[i]) j++;
          // sample i stands for the second that ended at xs[i]
          const x0 = u.valToPos(xs[i] - 1, 'x', true);
          const x1 = u.valToPos(xs[j], 'x', true);
          ctx.fillStyle = fill;
          ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
          i = j;
        }
        ctx.restore();
      }],
    },
  };
}

/** At least the last minute, so that a chart with a few samples does not stretch them over years. */
function timeRange(u, min, max) {
  if (min === null || max === null) {
    const now = Date.now() / 1000;
    return [now - 60, now];
  }
  return [Math.min(min, max - 60), max];
}

export class Chart {
  /**
   * @param root the element to draw in
   * @param title shown above the chart
   * @param series [{label, stroke, dash}] for the y columns
   * @param states () => the state of each sample, for the band
   */
  constructor(root, title, series, states) {
    this.root = root;
    const opts = {
      title,
      width: this.width(),
      height: 200,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: timeRange }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      series: [{ label: 'Time' }, ...series.map((s) => ({ label: s.label, stroke: s.stroke, dash: s.dash,
        width: 1.5, spanGaps: false, points: { show: false } }))],
      axes: [{}, { size: 60 }],
      plugins: [stateBand(states)],
    };
    this.plot = new uPlot(opts, [[], ...series.map(() => [])], root);
    this.resize = new ResizeObserver(() => this.plot.setSize({ width: this.width(), height: 200 }));
    this.resize.observe(root);
  }

  width() {
    return Math.max(300, (this.root.clientWidth || 800) - 8);
  }

  /** @param data [xs (epoch seconds), ...ys] */
  setData(data) {
    this.plot.setData(data);
  }

  destroy() {
    this.resize.disconnect();
    this.plot.destroy();
  }
}

export const COLOURS = {
  calls: { stroke: '#2b6cb0' },
  failures: { stroke: '#c53030', dash: [6, 3] },
  timeouts: { stroke: '#b7791f', dash: [2, 3] },
  rejections: { stroke: '#6b46c1', dash: [10, 4, 2, 4] },
  sheds: { stroke: '#2f855a', dash: [1, 5] },
  latency: { stroke: '#2d3748' },
  score: { stroke: '#c53030' },
  threshold: { stroke: '#718096', dash: [4, 4] },
};
