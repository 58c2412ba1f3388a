// Building blocks of the dashboard (dashboard.js): DOM elements, the SVG sparkline of one route metric, and how
// numbers are shown. No state, no API calls.

const SVG = 'http://www.w3.org/2000/svg';

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

export function wrap(tag, child) {
  const node = element(tag);
  node.append(child);
  return node;
}

export function metricCell(kind, unit) {
  const cell = element('td', `metric ${kind}`);
  const value = element('span', 'value', '-');
  const detail = element('span', 'detail', unit);
  const chart = document.createElementNS(SVG, 'svg');
  chart.setAttribute('class', 'spark');
  chart.setAttribute('preserveAspectRatio', 'none');
  chart.setAttribute('role', 'img');
  const title = document.createElementNS(SVG, 'title');
  const area = document.createElementNS(SVG, 'path');
  area.setAttribute('class', 'area');
  const line = document.createElementNS(SVG, 'path');
  line.setAttribute('class', 'line');
  line.setAttribute('vector-effect', 'non-scaling-stroke');
  chart.append(title, area, line);
  const numbers = element('div', 'numbers');
  numbers.append(value, detail);
  cell.append(numbers, chart);
  return { cell, value, detail, chart, title, area, line };
}

export function sum(values) {
  return values.reduce((total, value) => total + value, 0);
}

export function format(value) {
  if (value >= 100) {
    return Math.round(value).toString();
  }
  return value >= 10 ? value.toFixed(1) : value.toFixed(2).replace(/\.?0+$/, '') || '0';
}

/** Draws `values` (oldest first) as a line scaled to its peak; where `present` is 0 the line has a gap. */
export function drawSpark(metric, values, present, what) {
  const width = values.length || 1;
  const peak = Math.max(0, ...values);
  const top = peak || 1;
  metric.chart.setAttribute('viewBox', `0 0 ${width} 100`);
  metric.chart.dataset.peak = String(peak);
  metric.title.textContent = values.length ? `${what}, last 15 minutes; peak ${format(peak)}` : 'no data';
  let line = '';
  let area = '';
  let open = false;
  values.forEach((value, i) => {
    if (present && !present[i]) {
      open = false;
      return;
    }
    const y = (100 - (value / top) * 96).toFixed(1);
    line += `${open ? 'L' : 'M'}${i} ${y}`;
    open = true;
  });
  if (!present && values.length) {
    area = `${line}L${values.length - 1} 100L0 100Z`;
  }
  metric.line.setAttribute('d', line);
  metric.area.setAttribute('d', area);
}
