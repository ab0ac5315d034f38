import { type Server } from 'node:http';
import { type BuildReport } from './build.js';
export interface Playground {
    readonly url: string;
    readonly build: BuildReport;
    readonly server: Server;
    close(): Promise<void>;
}
export declare function startPlayground(opts?: {
    readonly host?: string;
    readonly port?: number;
    readonly minify?: boolean;
}): Promise<Playground>;
