FROM nginx:1.27-alpine
ADD nginx.conf /etc/nginx/nginx.conf
ADD site/ /usr/share/nginx/html/
