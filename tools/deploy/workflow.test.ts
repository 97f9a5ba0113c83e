import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, readRepoFile } from "./bicepText";

const WORKFLOW = ".github/workflows/ci.yml";
const workflow = readRepoFile(WORKFLOW);

/** The text of one job: from its "  name:" line to the next job at the same indent. */
function job(name: string): string {
  const start = workflow.indexOf(`\n  ${name}:\n`);
  if (start < 0) throw new Error(`job ${name} not found`);
  const next = workflow.slice(start + 1).search(/\n {2}[a-z-]+:\n/);
  return next < 0 ? workflow.slice(start) : workflow.slice(start, start + 1 + next);
}

/** Environment variables a parameter file requires (readEnvironmentVariable without default). */
function requiredEnvironment(paramFile: string): string[] {
  const text = readRepoFile(paramFile);
  return [...text.matchAll(/readEnvironmentVariable\('([A-Z0-9_]+)'\)/g)].map((m) => m[1]!);
}

describe("the pipeline", () => {
  it("stores no secrets: Azure sign-in is OpenID Connect only", () => {
    expect(workflow).not.toMatch(/secrets\./);
    expect(workflow).not.toMatch(/client-secret|creds:/);
    for (const name of ["what-if", "deploy"]) {
      expect(job(name)).toMatch(/id-token: write/);
      expect(job(name)).toMatch(/uses: azure\/login@v2/);
    }
  });

  it("builds and tests with the CI entry point, and checks the Bicep", () => {
    expect(job("build-test")).toMatch(/run: bash \.ci\/run/);
    expect(job("bicep")).toMatch(/az bicep build --file bicep\/main\.bicep/);
    expect(job("bicep")).toMatch(/az bicep lint --file bicep\/main\.bicep/);
    expect(job("what-if")).toMatch(/az deployment group what-if/);
    expect(job("what-if")).toMatch(/github\.event_name == 'pull_request'/);
  });

  it("deploys infrastructure, then the app, hands the key to APIM, then smoke-tests", () => {
    const deploy = job("deploy");
    const order = [
      "bash tools/deploy/functionKey.sh exists",
      "az deployment group create",
      "npm run package",
      "az functionapp deployment source config-zip",
      "bash tools/deploy/functionKey.sh handoff",
      "node tools/dist/tools/deploy/smoke.js",
    ].map((step) => deploy.indexOf(step));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(deploy).toMatch(/--src \.package\/app\.zip/);
    expect(existsSync(join(REPO_ROOT, "tools/deploy/smoke.ts"))).toBe(true);
  });

  it.each(["bicep/dev.bicepparam", "bicep/prod.bicepparam"])(
    "gives every job that resolves %s the variables it requires",
    (paramFile) => {
      const required = requiredEnvironment(paramFile);
      expect(required.length).toBeGreaterThan(0);
      for (const name of ["bicep", "what-if", "deploy"]) {
        const missing = required.filter((v) => !new RegExp(`\\n\\s+${v}: `).test(job(name)));
        expect({ job: name, missing }).toEqual({ job: name, missing: [] });
      }
    },
  );

  // A failing look-up inside echo "$(...)" would read as false, and the deployment would then
  // overwrite the real key with a placeholder.
  it("fails the step when the function key look-up fails, instead of reading it as false", () => {
    for (const name of ["what-if", "deploy"]) {
      expect(job(name)).toMatch(
        /exists=\$\(bash tools\/deploy\/functionKey\.sh exists [^\n]+\)\n\s+echo "FUNCTION_KEY_SECRET_EXISTS=\$exists" >> "\$GITHUB_ENV"/,
      );
    }
  });

  it("hands the key over with the names the deployment outputs", () => {
    const deploy = job("deploy");
    for (const output of ["functionAppName", "keyVaultName", "apimName", "functionKeySecretName"]) {
      expect(deploy).toContain(`echo "${output}=$(jq -r .${output}.value <<< "$outputs")"`);
      expect(deploy).toContain(`\${{ steps.infra.outputs.${output} }}`);
    }
    const main = readRepoFile("bicep/main.bicep");
    for (const output of ["functionAppName", "keyVaultName", "apimName", "functionKeySecretName"]) {
      expect(main).toMatch(new RegExp(`^output ${output} string`, "m"));
    }
  });

  // Pipeline deployments are named orders-<run>-<sha>; az deployment group create without
  // --name names the deployment after the template file ("main").
  it("tells readers how to find the outputs of the deployments the pipeline and the README make", () => {
    const readme = readRepoFile("README.md");
    const prefix = /--name "(\w+)-\$\{GITHUB_RUN_NUMBER\}/.exec(job("deploy"))?.[1];
    expect(prefix).toBe("orders");
    expect(readme).not.toMatch(/deployment group show[^\n]*(-n|--name) main\b/);
    expect(readme).toContain(`starts_with(name, '${prefix!}-')`);
    const create =
      /az deployment group create --resource-group [^\n]+\\\n\s+--name "([\w-]+)-/.exec(readme);
    expect(create?.[1]).toBe(prefix);
  });
});
