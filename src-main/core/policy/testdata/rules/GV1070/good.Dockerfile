FROM node:20-slim
ENV DB_PASSWORD_FILE=/run/secrets/db_password
ENV TOKEN_URL=https://auth.example.com/token
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
