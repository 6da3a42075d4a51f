FROM fedora:40
RUN dnf install -y nginx && dnf clean all
FROM centos:7
RUN yum install -y httpd && rm -rf /var/cache/yum
