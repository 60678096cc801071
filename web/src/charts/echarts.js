// The part of ECharts the dashboard's charts use, registered once; only the
// chunks of pages with charts import this module.
import * as echarts from 'echarts/core'
import { CustomChart, LineChart, ScatterChart, BarChart } from 'echarts/charts'
import {
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  MarkLineComponent,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import { onBeforeUnmount, onMounted, shallowRef, watch } from 'vue'

export { echarts }

echarts.use([
  CustomChart,
  LineChart,
  ScatterChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  MarkLineComponent,
  CanvasRenderer,
])

export const FONT =
  "'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif"

export const LIGHT_COLORS = {
  green: { solid: '#2da44e', tint: '#cfe9d6' },
  yellow: { solid: '#d49a06', tint: '#f6e3b0' },
  red: { solid: '#d93025', tint: '#f6c9c6' },
}

/**
 * A chart in the element el (a ref): option() builds the option from the
 * props, redrawn when deps() changes; on(chart) adds event handlers.
 */
export function useChart(el, option, deps, on) {
  const chart = shallowRef(null)
  let observer = null
  const draw = () => {
    if (!chart.value) return
    chart.value.setOption(option(), { notMerge: true })
    chart.value.resize()
  }
  onMounted(() => {
    chart.value = echarts.init(el.value, null, { renderer: 'canvas' })
    if (on) on(chart.value)
    draw()
    if (typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => chart.value && chart.value.resize())
      observer.observe(el.value)
    }
  })
  onBeforeUnmount(() => {
    if (observer) observer.disconnect()
    if (chart.value) chart.value.dispose()
    chart.value = null
  })
  watch(deps, draw, { deep: true })
  return { chart, draw }
}
