import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router.js'
import { i18n, languageReady } from './i18n/index.js'
import './styles.css'

// mount in the remembered language (English is fetched first when chosen)
languageReady.then(() => createApp(App).use(i18n).use(router).mount('#app'))
