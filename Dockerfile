# One image for every app; choose the app with the APP build argument or environment variable:
#   docker build --build-arg APP=orchestrator -t jarvis-orchestrator .
#   docker run -e APP=history jarvis
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json webpack.config.js nest-cli.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
COPY tools ./tools
RUN npm run build \
 # The embedded PostgreSQL binaries (optional dependencies) serve only `npm start` on a laptop.
 && npm prune --omit=dev --omit=optional

FROM node:24-bookworm-slim
ARG APP=gateway
ENV NODE_ENV=production APP=${APP}
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
# Each app runs its migrations at start, then serves HTTP (health, metrics, REST) and NATS.
CMD ["sh", "-c", "exec node dist/apps/${APP}/main.js"]
