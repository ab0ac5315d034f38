export declare const ASSET_MAGIC = "KMN1";
/** The asset's bytes: the first `train` training and the first `test` test images and labels. */
export declare function mnistSubset(train: number, test: number): Uint8Array;
