FROM nginx:1.27-alpine
COPY nginx.conf /etc/nginx/nginx.conf
ADD rootfs.tar.gz /
