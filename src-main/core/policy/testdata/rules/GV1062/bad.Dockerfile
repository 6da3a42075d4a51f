FROM nginx:1.27-alpine
CMD ["nginx"]
CMD ["nginx", "-g", "daemon off;"]
