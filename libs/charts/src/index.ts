export { BarChart, Chart, ChartSize, LineChart, Series, TASK_CATEGORIES, TaskCategory } from './chart';
export { chartSvg } from './chart-svg';
export { chartPng } from './chart-png';
export * from './charts.errors';
