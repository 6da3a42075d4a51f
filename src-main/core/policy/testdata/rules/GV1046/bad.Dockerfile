FROM fedora:40
RUN dnf install -y nginx
FROM centos:7
RUN yum install -y httpd
