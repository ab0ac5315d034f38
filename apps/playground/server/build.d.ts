export declare const APP_DIR: string;
export declare const DIST_DIR: string;
export declare const TRAIN_IMAGES = 2000;
export declare const TEST_IMAGES = 500;
export declare const DATA_FILE = "mnist-subset.bin";
export interface BuildReport {
    readonly dir: string;
    readonly bundleBytes: number;
    readonly bundleGzipBytes: number;
    readonly dataBytes: number;
    readonly ms: number;
}
export declare function buildPlayground(opts?: {
    readonly minify?: boolean;
}): Promise<BuildReport>;
