FROM nginx:1.27-alpine
COPY site /usr/share/nginx/html
HEALTHCHECK --interval=30s CMD wget -qO- http://localhost/ || exit 1
